using System.Globalization;

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

    public string? Text { get; }

    public double Number { get; }

    public bool IsNumber { get; }

    /// <summary>A true/false value: <see cref="Text"/> is "true" or "false", JSON writes a boolean.</summary>
    public bool IsBoolean { get; }

    public bool IsNull => Text is null && !IsNumber;

    public static Cell Null => default;

    public static implicit operator Cell(string? text) => new(text, 0, false);

    public static implicit operator Cell(long number) => new(null, number, true);

    public static implicit operator Cell(bool value) => new(value ? "true" : "false", 0, false, true);

    /// <summary>A number rounded to <paramref name="decimals"/>, or null.</summary>
    public static Cell Of(double? number, int decimals) =>
        number is { } n ? new Cell(null, Math.Round(n, decimals), true) : Null;

    /// <summary>The number as a decimal: prints 0.000008, never 8E-06.</summary>
    public decimal Decimal => (decimal)Number;

    public override string ToString() =>
        IsNumber ? Decimal.ToString(CultureInfo.InvariantCulture) : Text ?? "";
}
