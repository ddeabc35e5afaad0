namespace XmppSniff.Echo;

/// <summary>
/// The bytes of message m at offset o are a function of (m, o), so a client can make and check
/// a message of any size in chunks, without holding it whole; a shifted, swapped or stale echo differs.
/// </summary>
public static class EchoPattern
{
    public static byte At(long message, long offset) =>
        unchecked((byte)((offset * 7) ^ (offset >> 8) ^ (offset >> 16) ^ (message * 13 + 1)));

    public static void Fill(Span<byte> destination, long message, long offset)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = At(message, offset + i);
    }

    /// <summary>The index in <paramref name="received"/> of the first byte that is not the expected one, or -1.</summary>
    public static int FirstMismatch(ReadOnlySpan<byte> received, long message, long offset)
    {
        for (int i = 0; i < received.Length; i++)
            if (received[i] != At(message, offset + i)) return i;
        return -1;
    }
}
