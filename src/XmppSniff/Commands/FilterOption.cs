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
    public static readonly FilterTarget<FlowRecord> Flows = new(FlowColumns.All, r => (r.Client, r.Server), r => Formats.Protocol(r.Protocol) + "/" + r.App);

    public static readonly FilterTarget<XmppElement> Stanzas = new(StanzaColumns.All, e => (e.Client, e.Server), _ => "tcp/xmpp");

    public static readonly FilterTarget<HttpTransaction> Http = new(HttpColumns.All, t => (t.Client, t.Server), _ => "tcp/http");

    public static Option<string?> Create(string example) => new("--display-filter", "-Y")
    {
        HelpName = "WORDS",
        Description = "Print only the records matching all these words, as the UI's / filter: FIELD=VALUE and FIELD!=VALUE "
            + "(the output's field names; VALUE* a prefix), port N, host ADDR, a protocol (tcp udp xmpp http tls ...), "
            + $"!WORD, free text. E.g. \"{example}\".",
    };

    /// <summary>The test for the filter given (null without one); false, with the reason printed, when the words do not parse.</summary>
    public static bool TryCreate<T>(ParseResult result, Option<string?> option, FilterTarget<T> target, out Func<T, bool>? matches)
    {
        matches = null;
        if (result.GetValue(option) is not { } text) return true;
        if (target.TryParse(text, out matches, out string? error)) return true;
        Report(error!);
        return false;
    }

    /// <summary>A filter that cannot be used: one line on stderr.</summary>
    public static void Report(string error) => Console.Error.WriteLine($"xmppsniff: --display-filter: {error}");
}

/// <summary>What a display filter reads of one kind of record: its printed fields, its two ends, its protocol.</summary>
internal sealed record FilterTarget<T>(IReadOnlyList<Column<T>> Columns, Func<T, (Endpoint Client, Endpoint Server)> Ends, Func<T, string> Protocol)
{
    /// <summary>The test <paramref name="text"/> makes for these records, or why there is none.</summary>
    public bool TryParse(string text, out Func<T, bool>? matches, out string? error)
    {
        var fields = new FilterFields<T>(
            Columns.ToDictionary(c => c.Name, c => (Func<T, string?>)(r => c.Get(r) is { IsNull: false } cell ? cell.ToString() : null)),
            r => string.Join(' ', Columns.Select(c => c.Get(r).ToString())),
            r => Pair(Ends(r)),
            Protocol);
        bool parsed = RowFilter<T>.TryParse(text, fields, out RowFilter<T>? filter, out error);
        matches = filter is null ? null : filter.Matches;
        return parsed;
    }

    private static (string Address, int Port)[] Pair((Endpoint Client, Endpoint Server) ends) =>
        [(ends.Client.Address.ToString(), ends.Client.Port), (ends.Server.Address.ToString(), ends.Server.Port)];
}
