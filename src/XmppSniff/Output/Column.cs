namespace XmppSniff.Output;

/// <summary>A named field of a record type; <paramref name="TableWidth"/> 0 leaves it out of the table.</summary>
internal sealed record Column<T>(string Name, Func<T, Cell> Get, int TableWidth = 0, bool RightAligned = false, string? TableHeader = null)
{
    /// <summary>Writes the field's JSON value itself, the same as <see cref="Get"/>'s would be, for fields of every record.</summary>
    public Action<T, OutputBuffer>? Json { get; init; }
}
