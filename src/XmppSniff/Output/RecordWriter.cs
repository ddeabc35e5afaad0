namespace XmppSniff.Output;

/// <summary>Writes records one at a time, as they are ready, so output streams.</summary>
internal abstract class RecordWriter<T>(TextWriter output, IReadOnlyList<Column<T>> columns)
{
    protected TextWriter Output { get; } = output;

    protected IReadOnlyList<Column<T>> Columns { get; } = columns;

    public abstract void Write(T record);

    public virtual void Finish() => Output.Flush();

    /// <summary>Hands everything written so far to the reader now (live capture, after each batch).</summary>
    public virtual void Flush() => Output.Flush();
}
