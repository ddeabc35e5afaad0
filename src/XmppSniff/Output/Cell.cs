using System.Globalization;

namespace XmppSniff.Output;

/// <summary>One field value of an output record: text, a number, or null.</summary>
internal readonly struct Cell
{
    private Cell(string? text, double number, bool isNumber)
    {
        Text = text;
        Number = number;
        IsNumber = isNumber;
    }

    public string? Text { get; }

    public double Number { get; }

    public bool IsNumber { get; }

    public bool IsNull => Text is null && !IsNumber;

    public static Cell Null => default;

    public static implicit operator Cell(string? text) => new(text, 0, false);

    public static implicit operator Cell(long number) => new(null, number, true);

    /// <summary>A truth value: JSON true/false, "true"/"false" in text.</summary>
    public static Cell Of(bool value) => new(value ? "true" : "false", 0, false) { IsBoolean = true };

    public bool IsBoolean { get; private init; }

    /// <summary>A number rounded to <paramref name="decimals"/>, or null.</summary>
    public static Cell Of(double? number, int decimals) =>
        number is { } n ? new Cell(null, Math.Round(n, decimals), true) : Null;

    /// <summary>The number as a decimal: prints 0.000008, never 8E-06.</summary>
    public decimal Decimal => (decimal)Number;

    public override string ToString() =>
        IsNumber ? Decimal.ToString(CultureInfo.InvariantCulture) : Text ?? "";
}
