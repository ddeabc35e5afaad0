namespace XmppSniff.Analysis.Protocols.Xmpp;

/// <summary>
/// Copies of complete elements (the record's XML, body and tree text all refer to one): small ones
/// are cut from shared 64 KiB blocks, so a stanza costs the garbage collector no object of its own.
/// A block lives while any element cut from it does.
/// </summary>
internal static class ElementCopies
{
    private const int BlockBytes = 64 << 10;

    [ThreadStatic] private static byte[]? t_block;
    [ThreadStatic] private static int t_used;

    /// <param name="pool">Where a large copy comes from, if its consumer gives records back (see <see cref="ElementCopyPool"/>).</param>
    public static ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes, ElementCopyPool? pool = null)
    {
        if (bytes.Length >= ElementCopyPool.MinBytes)
        {
            if (pool is not null) return pool.Copy(bytes);
            byte[] own = GC.AllocateUninitializedArray<byte>(bytes.Length); // filled at once: zeroing it first is waste
            bytes.CopyTo(own);
            return own;
        }
        if (t_block is null || BlockBytes - t_used < bytes.Length)
        {
            t_block = GC.AllocateUninitializedArray<byte>(BlockBytes);
            t_used = 0;
        }
        Memory<byte> copy = t_block.AsMemory(t_used, bytes.Length);
        bytes.CopyTo(copy.Span);
        t_used += bytes.Length;
        return copy;
    }
}
