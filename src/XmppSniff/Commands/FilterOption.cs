using System.CommandLine;
using XmppSniff.Core;
using XmppSniff.Output;
using XmppSniff.Tui.Filtering;

namespace XmppSniff.Commands;

/// <summary>
/// `--display-filter WORDS` (`-Y`, as in tshark): the terminal UI's `/` filter on the command line, over the fields a
/// command prints (its JSON names): `kind=long`, `name=message from=alice@example.test`, `status=404`, `port 5222`,
/// `xmpp`, `!word`, free text. Only matching records are printed. Not `--filter`: for `capture` that is the BPF
/// filter, as `-f` is for tcpdump and tshark.
/// </summary>
internal static class FilterOption
{
    public static Option<string?> Create(string example) => new("--display-filter", "-Y")
    {
        HelpName = "WORDS",
        Description = "Print only the records matching all these words, as the UI's / filter: FIELD=VALUE and FIELD!=VALUE "
            + "(the output's field names; VALUE* a prefix), port N, host ADDR, a protocol (tcp udp xmpp http tls ...), "
            + $"!WORD, free text. E.g. \"{example}\".",
    };

    /// <summary>
    /// The test for the filter given (null without one), over <paramref name="columns"/> and the record's two ends;
    /// false, with the reason printed, when the words do not parse.
    /// </summary>
    public static bool TryCreate<T>(ParseResult result, Option<string?> option, IReadOnlyList<Column<T>> columns,
        Func<T, (Endpoint Client, Endpoint Server)> ends, Func<T, string> protocol, out Func<T, bool>? matches)
    {
        matches = null;
        if (result.GetValue(option) is not { } text) return true;
        var fields = new FilterFields<T>(
            columns.ToDictionary(c => c.Name, c => (Func<T, string?>)(r => c.Get(r) is { IsNull: false } cell ? cell.ToString() : null)),
            r => string.Join(' ', columns.Select(c => c.Get(r).ToString())),
            r => Pair(ends(r)),
            protocol);
        if (!RowFilter<T>.TryParse(text, fields, out RowFilter<T>? filter, out string? error))
        {
            Console.Error.WriteLine($"xmppsniff: --display-filter: {error}");
            return false;
        }
        matches = filter!.Matches;
        return true;
    }

    private static (string Address, int Port)[] Pair((Endpoint Client, Endpoint Server) ends) =>
        [(ends.Client.Address.ToString(), ends.Client.Port), (ends.Server.Address.ToString(), ends.Server.Port)];
}
