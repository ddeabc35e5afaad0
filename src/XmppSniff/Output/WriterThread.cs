using System.Runtime.ExceptionServices;

namespace XmppSniff.Output;

/// <summary>
/// Formats and writes records on a thread of its own, so the second core does the output while the
/// first analyses. Records are handed over in batches, in order; at most a few batches of about
/// <see cref="BatchWeight"/> each wait, so memory stays bounded however fast records come.
/// </summary>
internal sealed class WriterThread<T>
{
    private const int BatchRecords = 1024;
    private const long BatchWeight = 4 << 20;
    private const int BatchesWaiting = 4;

    private readonly RecordWriter<T> _inner;
    private readonly Func<T, long> _weight;
    private readonly Action<T>? _done;
    private readonly Running.Handoff<List<T>> _full = new(BatchesWaiting);
    private readonly Thread _thread;
    private List<T> _batch = new(BatchRecords);
    private long _batchWeight;
    private ExceptionDispatchInfo? _failure;

    /// <param name="weight">About how many bytes a record holds (e.g. the XML it carries).</param>
    /// <param name="done">Called on the writing thread with each record once it is written (or skipped after a failure).</param>
    public WriterThread(RecordWriter<T> inner, Func<T, long> weight, Action<T>? done = null)
    {
        _inner = inner;
        _weight = weight;
        _done = done;
        _thread = new Thread(Drain) { Name = "xmppsniff output", IsBackground = true };
        _thread.Start();
    }

    public void Write(T record)
    {
        _batch.Add(record);
        _batchWeight += _weight(record);
        if (_batch.Count >= BatchRecords || _batchWeight >= BatchWeight) Hand();
    }

    /// <summary>Writes what is left and waits for it; a failure of the output (e.g. a closed pipe) is thrown here.</summary>
    public void Finish()
    {
        Hand();
        _full.CompleteAdding();
        _thread.Join();
        _failure?.Throw();
        _inner.Finish();
    }

    private void Hand()
    {
        if (_batch.Count == 0) return;
        _failure?.Throw();
        _full.Add(_batch);
        _batch = new List<T>(BatchRecords);
        _batchWeight = 0;
    }

    private void Drain()
    {
        foreach (List<T> batch in _full.GetConsumingEnumerable())
        {
            foreach (T record in batch)
            {
                // After a failure, keep taking batches so the analysing thread never blocks.
                if (_failure is null)
                {
                    try
                    {
                        _inner.Write(record);
                    }
                    catch (Exception e)
                    {
                        _failure = ExceptionDispatchInfo.Capture(e);
                    }
                }
                _done?.Invoke(record);
            }
        }
    }
}
