namespace XmppSniff.Capture.Files;

/// <summary>
/// Turns pcapng timestamp ticks into nanoseconds since the epoch for one interface (if_tsresol,
/// if_tsoffset). Saturates instead of overflowing: a fuzzed resolution must not throw.
/// </summary>
internal readonly struct TimestampScale
{
    private const long NsPerSecond = 1_000_000_000;

    private readonly Kind _kind;
    private readonly ulong _factor;
    private readonly int _shift;
    private readonly long _offsetNs;

    private TimestampScale(Kind kind, ulong factor, int shift, long offsetNs)
    {
        _kind = kind;
        _factor = factor;
        _shift = shift;
        _offsetNs = offsetNs;
    }

    private enum Kind : byte
    {
        Multiply,
        Divide,
        PowerOfTwo,
    }

    /// <summary>pcapng's default: microseconds, no offset.</summary>
    public static TimestampScale Default => FromOption(6, 0);

    /// <summary>
    /// <paramref name="tsresol"/> as in the option: high bit clear means 10^-n seconds, set means 2^-n.
    /// <paramref name="offsetSeconds"/> is if_tsoffset.
    /// </summary>
    public static TimestampScale FromOption(byte tsresol, long offsetSeconds)
    {
        long offsetNs = SaturatingMultiply(offsetSeconds, NsPerSecond);
        int exponent = tsresol & 0x7F;
        if ((tsresol & 0x80) != 0)
        {
            return new TimestampScale(Kind.PowerOfTwo, 0, exponent, offsetNs);
        }

        if (exponent <= 9)
        {
            return new TimestampScale(Kind.Multiply, Pow10(9 - exponent), 0, offsetNs);
        }

        // Finer than nanoseconds: divide. A divisor beyond 10^19 exceeds any 64-bit tick count;
        // 0 marks it, and the time is then always 0 ns.
        int divisorExponent = exponent - 9;
        ulong divisor = divisorExponent > 19 ? 0 : Pow10(divisorExponent);
        return new TimestampScale(Kind.Divide, divisor, 0, offsetNs);
    }

    public long ToNanoseconds(ulong ticks)
    {
        ulong ns;
        switch (_kind)
        {
            case Kind.Multiply:
                ns = ticks > ulong.MaxValue / _factor ? ulong.MaxValue : ticks * _factor;
                break;
            case Kind.Divide:
                ns = _factor == 0 ? 0 : ticks / _factor;
                break;
            default:
                UInt128 wide = ((UInt128)ticks * NsPerSecond) >> _shift;
                ns = wide > ulong.MaxValue ? ulong.MaxValue : (ulong)wide;
                break;
        }

        long value = ns > long.MaxValue ? long.MaxValue : (long)ns;
        return SaturatingAdd(value, _offsetNs);
    }

    private static ulong Pow10(int exponent)
    {
        ulong value = 1;
        for (int i = 0; i < exponent; i++)
        {
            value *= 10;
        }

        return value;
    }

    private static long SaturatingMultiply(long a, long b)
    {
        Int128 product = (Int128)a * b;
        return product > long.MaxValue ? long.MaxValue : product < long.MinValue ? long.MinValue : (long)product;
    }

    private static long SaturatingAdd(long a, long b)
    {
        long sum = a + b;
        // Overflow happened when both operands share a sign the result does not.
        if (((a ^ sum) & (b ^ sum)) < 0)
        {
            return a < 0 ? long.MinValue : long.MaxValue;
        }

        return sum;
    }
}
