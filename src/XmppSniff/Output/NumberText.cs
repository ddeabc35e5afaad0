using System.Globalization;

namespace XmppSniff.Output;

/// <summary>
/// A number as a decimal (0.000008, never 8E-06), as <see cref="Cell.ToString"/> and Utf8JsonWriter print it,
/// without a string. Whole numbers below 10^15, which a decimal made from a double prints as digits alone, skip
/// the slow conversion to decimal. 64 characters hold any of them.
/// </summary>
internal static class NumberText
{
    public const int MaxLength = 64;

    public static int Format(double number, Span<char> to)
    {
        int written;
        if (IsSmallWhole(number)) ((long)number).TryFormat(to, out written, default, CultureInfo.InvariantCulture);
        else ((decimal)number).TryFormat(to, out written, default, CultureInfo.InvariantCulture);
        return written;
    }

    public static int FormatUtf8(double number, Span<byte> to)
    {
        int written;
        if (IsSmallWhole(number)) ((long)number).TryFormat(to, out written, default, CultureInfo.InvariantCulture);
        else ((decimal)number).TryFormat(to, out written, default, CultureInfo.InvariantCulture);
        return written;
    }

    private static bool IsSmallWhole(double number) => Math.Abs(number) < 1e15 && number == Math.Truncate(number);
}
