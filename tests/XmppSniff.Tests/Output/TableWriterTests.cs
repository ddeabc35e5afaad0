using System.Text;
using XmppSniff.Core;
using XmppSniff.Output;

namespace XmppSniff.Tests.Output;

/// <summary>Table rows: padded to each column's width, values wider than it whole, numbers as decimals, line ends trimmed.</summary>
public class TableWriterTests
{
    private sealed record Row(long? Count, string? Name, double? Rate, string? Note, string? Utf8 = null);

    private static readonly Column<Row>[] Columns =
    [
        new("count", r => r.Count is { } c ? c : Cell.Null, 5, RightAligned: true, TableHeader: "n"),
        new("name", r => r.Name, 6),
        new("hidden", r => "never shown"),
        new("rate", r => Cell.Of(r.Rate, 6), 9, RightAligned: true),
        new("utf8", r => Cell.OfUtf8(r.Utf8 is null ? null : new Utf8Text(Encoding.UTF8.GetBytes(r.Utf8))), 4),
        new("note", r => r.Note, 4),
    ];

    private static string Table(params Row[] rows)
    {
        var text = new StringWriter { NewLine = "\n" };
        var writer = new TableWriter<Row>(text, Columns);
        foreach (Row row in rows) writer.Write(row);
        writer.Finish();
        return text.ToString();
    }

    [Fact]
    public void PadsEachColumnAndTrimsTheLineEnd()
    {
        Assert.Equal(
            "    n name        rate utf8 note\n" +
            "    7 ab      0.000008 é    x\n" +
            "12345 toolong 10000000000000000 abcdef\n" +
            "   -3 é\t          -2.5      z\n" +
            "\n", // nothing but white space
            Table(
                new Row(7, "ab", 0.000008, "x  ", "é"),
                new Row(12345, "toolong", 1e16, null, "abcdef"),
                new Row(-3, "é\t", -2.5, "z"),
                new Row(null, null, null, "\t")));
    }

    [Fact]
    public void AnEmptyTableIsItsHeader() => Assert.Equal("    n name        rate utf8 note\n", Table());

    [Fact]
    public void AValueLongerThanAnyLineSoFarIsPrintedWhole()
    {
        string note = new('w', 100_000);
        string[] lines = Table(new Row(1, "a", 1, note), new Row(2, "b", 2, "c")).Split('\n');
        Assert.Equal("    1 a              1      " + note, lines[1]);
        Assert.Equal("    2 b              2      c", lines[2]);
    }
}
