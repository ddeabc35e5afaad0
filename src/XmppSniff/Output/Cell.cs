using System.Globalization;
using System.Text;
using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>One field value of an output record: text, a number, or null.</summary>
internal readonly struct Cell
{
    private Cell(string? text, double number, bool isNumber, bool isBoolean = false)
    {
        Text = text;
        Number = number;
        IsNumber = isNumber;
        IsBoolean = isBoolean;
    }

    private Cell(ReadOnlyMemory<byte> utf8)
    {
        Utf8 = utf8;
        IsUtf8 = true;
    }

    public string? Text { get; }

    /// <summary>Text kept as valid UTF-8, which JSON output copies without decoding (large XML).</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    public bool IsUtf8 { get; }

    public double Number { get; }

    public bool IsNumber { get; }

    /// <summary>A true/false value: <see cref="Text"/> is "true" or "false", JSON writes a boolean.</summary>
    public bool IsBoolean { get; }

    public bool IsNull => Text is null && !IsNumber && !IsUtf8;

    public static Cell Null => default;

    public static implicit operator Cell(string? text) => new(text, 0, false);

    public static implicit operator Cell(long number) => new(null, number, true);

    public static implicit operator Cell(bool value) => new(value ? "true" : "false", 0, false, true);

    /// <summary>Text given as valid UTF-8, or null.</summary>
    public static Cell OfUtf8(Utf8Text? utf8) => utf8 is { } text ? new Cell(text.Bytes) : Null;

    /// <summary>A number rounded to <paramref name="decimals"/>, or null.</summary>
    public static Cell Of(double? number, int decimals) =>
        number is { } n ? new Cell(null, Math.Round(n, decimals), true) : Null;

    /// <summary>The number as a decimal: prints 0.000008, never 8E-06.</summary>
    public decimal Decimal => (decimal)Number;

    public override string ToString() =>
        IsNumber ? Decimal.ToString(CultureInfo.InvariantCulture) : IsUtf8 ? Encoding.UTF8.GetString(Utf8.Span) : Text ?? "";
}
