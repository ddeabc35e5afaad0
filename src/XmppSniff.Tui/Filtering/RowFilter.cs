namespace XmppSniff.Tui.Filtering;

/// <summary>
/// What a view offers to filter on: named fields (<c>state=RSTO</c>), the ports of its connection
/// (<c>port 5222</c>), its addresses (<c>host 10.0.0.1</c>), its protocol (<c>xmpp</c>, <c>udp</c>) and
/// its text for free words.
/// </summary>
public sealed class FilterFields<T>(
    IReadOnlyDictionary<string, Func<T, string?>> fields,
    Func<T, string> text,
    Func<T, (string Address, int Port)[]>? endpoints = null,
    Func<T, string?>? protocol = null)
{
    public IReadOnlyDictionary<string, Func<T, string?>> Fields { get; } = new Dictionary<string, Func<T, string?>>(fields, StringComparer.OrdinalIgnoreCase);
    public Func<T, string> Text { get; } = text;
    public Func<T, (string Address, int Port)[]>? Endpoints { get; } = endpoints;
    public Func<T, string?>? Protocol { get; } = protocol;
}

/// <summary>
/// A filter typed in the filter bar: words separated by spaces, all of which must match.
/// <c>name=value</c> (or <c>name!=value</c>) compares a field, ignoring case; a value matches a JID
/// or endpoint it is the bare part of (<c>from=alice@example.test</c> matches
/// <c>alice@example.test/phone</c>, <c>client=127.0.0.1</c> matches <c>127.0.0.1:45572</c>), and
/// a value ending in <c>*</c> is a prefix. <c>port N</c> and <c>host ADDR</c> match either end.
/// Protocol words (<c>tcp udp xmpp http tls dns stun echo</c>) match the connection's protocol.
/// <c>!word</c> negates a word. Anything else is searched for in the row's text.
/// </summary>
public sealed class RowFilter<T>
{
    private static readonly HashSet<string> ProtocolWords = new(StringComparer.OrdinalIgnoreCase) { "tcp", "udp", "xmpp", "http", "tls", "dns", "stun", "echo", "unknown" };

    private readonly List<Func<T, bool>> _clauses;

    private RowFilter(List<Func<T, bool>> clauses) => _clauses = clauses;

    public bool Matches(T row)
    {
        foreach (Func<T, bool> clause in _clauses)
            if (!clause(row)) return false;
        return true;
    }

    /// <summary>Parses <paramref name="text"/>; false with a one-line reason when it cannot.</summary>
    public static bool TryParse(string text, FilterFields<T> fields, out RowFilter<T>? filter, out string? error)
    {
        filter = null;
        error = null;
        var clauses = new List<Func<T, bool>>();
        string[] words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (int i = 0; i < words.Length; i++)
        {
            string word = words[i];
            bool negate = word.StartsWith('!') && word.Length > 1 && !word.Contains("!=");
            if (negate) word = word[1..];
            Func<T, bool>? clause;
            if (word is "port" or "host")
            {
                if (i + 1 >= words.Length) return Fail($"'{word}' needs a value, e.g. '{word} {(word == "port" ? "5222" : "127.0.0.1")}'", out error);
                if (fields.Endpoints is not { } endpoints) return Fail($"these rows have no {word}s", out error);
                string value = words[++i];
                if (word == "port")
                {
                    if (!int.TryParse(value, out int port) || port is < 0 or > 65535) return Fail($"'{value}' is not a port number", out error);
                    clause = row => endpoints(row).Any(e => e.Port == port);
                }
                else clause = row => endpoints(row).Any(e => string.Equals(e.Address, value, StringComparison.OrdinalIgnoreCase));
            }
            else if (word.IndexOf('=') is int eq and > 0)
            {
                bool notEqual = word[eq - 1] == '!';
                string name = word[..(notEqual ? eq - 1 : eq)];
                string value = word[(eq + 1)..];
                if (name.Equals("port", StringComparison.OrdinalIgnoreCase) && fields.Endpoints is { } endpoints)
                {
                    if (!int.TryParse(value, out int port)) return Fail($"'{value}' is not a port number", out error);
                    clause = row => endpoints(row).Any(e => e.Port == port);
                }
                else if (!fields.Fields.TryGetValue(name, out Func<T, string?>? get))
                {
                    return Fail($"unknown field '{name}'; the fields are: {string.Join(' ', fields.Fields.Keys)}{(fields.Endpoints is null ? "" : " port host")}", out error);
                }
                else clause = row => ValueMatches(get(row), value);
                if (notEqual)
                {
                    Func<T, bool> inner = clause;
                    clause = row => !inner(row);
                }
            }
            else if (ProtocolWords.Contains(word) && fields.Protocol is { } protocol)
            {
                clause = row => protocol(row) is { } p && p.Split('/').Any(part => part.Equals(word, StringComparison.OrdinalIgnoreCase));
            }
            else
            {
                clause = row => fields.Text(row).Contains(word, StringComparison.OrdinalIgnoreCase);
            }
            if (negate)
            {
                Func<T, bool> inner = clause;
                clause = row => !inner(row);
            }
            clauses.Add(clause);
        }
        filter = new RowFilter<T>(clauses);
        return true;
    }

    /// <summary>Equal ignoring case, or the bare part of a JID or endpoint, or a prefix with '*'.</summary>
    public static bool ValueMatches(string? actual, string wanted)
    {
        if (actual is null) return wanted.Length == 0;
        if (wanted.EndsWith('*')) return actual.StartsWith(wanted[..^1], StringComparison.OrdinalIgnoreCase);
        if (actual.Equals(wanted, StringComparison.OrdinalIgnoreCase)) return true;
        return actual.Length > wanted.Length
            && actual.StartsWith(wanted, StringComparison.OrdinalIgnoreCase)
            && actual[wanted.Length] is '/' or ':';
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
