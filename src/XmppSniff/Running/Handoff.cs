namespace XmppSniff.Running;

/// <summary>
/// A bounded first-in first-out hand-off between two threads that sleeps instead of spinning when it
/// must wait. BlockingCollection spins (and yields) before it sleeps; the pipeline's threads outnumber
/// a small machine's cores, so that spinning takes time from the thread it is waiting for.
/// </summary>
internal sealed class Handoff<T>(int capacity)
{
    private readonly Queue<T> _items = new(capacity);
    private bool _completed;

    /// <summary>Adds <paramref name="item"/>, waiting while <paramref name="capacity"/> items wait already.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="CompleteAdding"/>.</exception>
    public void Add(T item)
    {
        lock (_items)
        {
            while (_items.Count >= capacity && !_completed) Monitor.Wait(_items);
            if (_completed) throw new InvalidOperationException("the hand-off is complete");
            _items.Enqueue(item);
            if (_items.Count == 1) Monitor.PulseAll(_items);
        }
    }

    /// <summary>The oldest item, waiting for one; false once adding is complete and nothing is left.</summary>
    public bool TryTake(out T item)
    {
        lock (_items)
        {
            while (_items.Count == 0 && !_completed) Monitor.Wait(_items);
            if (!_items.TryDequeue(out item!)) return false;
            if (_items.Count == capacity - 1) Monitor.PulseAll(_items);
            return true;
        }
    }

    /// <summary>The oldest item, waiting for one.</summary>
    /// <exception cref="InvalidOperationException">Adding is complete and nothing is left.</exception>
    public T Take() => TryTake(out T item) ? item : throw new InvalidOperationException("the hand-off is complete and empty");

    /// <summary>No more items will come: takers get what is left, then the end.</summary>
    public void CompleteAdding()
    {
        lock (_items)
        {
            _completed = true;
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>Every item, in order, until adding is complete and nothing is left.</summary>
    public IEnumerable<T> GetConsumingEnumerable()
    {
        while (TryTake(out T item)) yield return item;
    }
}
