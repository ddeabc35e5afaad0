namespace XmppSniff.Output;

/// <summary>A named field of a record type; <paramref name="TableWidth"/> 0 leaves it out of the table.</summary>
internal sealed record Column<T>(string Name, Func<T, Cell> Get, int TableWidth = 0, bool RightAligned = false, string? TableHeader = null)
{
    /// <summary>Writes the field's JSON value itself, the same as <see cref="Get"/>'s would be, for fields of every record.</summary>
    public Action<T, OutputBuffer>? Json { get; init; }
}

/// <summary>Columns of the fields many records share, written to JSON without a string per record (see <see cref="JsonFields"/>).</summary>
internal static class Columns
{
    public static Column<T> Endpoint<T>(string name, Func<T, Core.Endpoint> get, int tableWidth = 0) =>
        new(name, r => Formats.Endpoint(get(r)), tableWidth) { Json = (r, to) => JsonFields.Endpoint(get(r), to) };

    public static Column<T> Time<T>(string name, Func<T, long> get, int tableWidth = 0) =>
        new(name, r => Formats.Time(get(r)), tableWidth) { Json = (r, to) => JsonFields.Time(get(r), to) };
}
