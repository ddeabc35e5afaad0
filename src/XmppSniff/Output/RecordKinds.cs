namespace XmppSniff.Output;

/// <summary>Which records a live capture prints (`--records flows,stanzas,http`).</summary>
[Flags]
internal enum RecordKinds
{
    None = 0,
    Flows = 1,
    Stanzas = 2,
    Http = 4,
}

internal static class RecordKindNames
{
    /// <summary>Parses "flows,stanzas,http"; null names what was not understood.</summary>
    public static RecordKinds Parse(string text, out string? unknown)
    {
        unknown = null;
        var kinds = RecordKinds.None;
        foreach (string name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (name.ToLowerInvariant())
            {
                case "flows" or "flow": kinds |= RecordKinds.Flows; break;
                case "stanzas" or "stanza" or "xmpp": kinds |= RecordKinds.Stanzas; break;
                case "http": kinds |= RecordKinds.Http; break;
                default: unknown ??= name; break;
            }
        }
        return kinds;
    }

    public static int Count(RecordKinds kinds) => System.Numerics.BitOperations.PopCount((uint)kinds);
}
