using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Xmpp;

/// <summary>A direction's unread bytes: kept in order, and a large front given to a record without a copy.</summary>
public class HeldBytesTests
{
    private static byte[] Bytes(int length, int seed) => Enumerable.Range(seed, length).Select(i => (byte)i).ToArray();

    [Fact]
    public void BytesAppendedAndConsumedComeOutInOrderAcrossEveryMove()
    {
        var held = new HeldBytes(new ElementCopyPool());
        var expected = new List<byte>();
        for (int i = 0; i < 200; i++)
        {
            byte[] data = Bytes(1 + i * 97 % 9_000, i);
            held.Append(data);
            expected.AddRange(data);
            int consume = i % 3 == 0 ? expected.Count / 2 : 0;
            held.Consume(consume);
            expected.RemoveRange(0, consume);
            Assert.Equal(expected.Count, held.Length);
            Assert.True(held.Span.SequenceEqual(expected.ToArray()));
        }
        held.Clear();
        Assert.Equal(0, held.Length);
    }

    [Fact]
    public void AGivenFrontStaysTheRecordsAndTheRestMovesOut()
    {
        var pool = new ElementCopyPool();
        var held = new HeldBytes(pool);
        byte[] data = Bytes(10_000, 7);
        held.Append(data);
        ReadOnlyMemory<byte> front = held.GiveFront(8_000);
        Assert.True(front.Span.SequenceEqual(data.AsSpan(0, 8_000)));
        Assert.True(held.GiveFront(8_000).IsEmpty); // given once
        held.Consume(8_000);
        Assert.True(held.Span.SequenceEqual(data.AsSpan(8_000)));
        held.Append(Bytes(7_000, 1)); // room enough if the array were compacted: it must not be written to
        Assert.True(front.Span.SequenceEqual(data.AsSpan(0, 8_000)));

        // The record that has the front gives its array back; the pool lends it again.
        var ends = new FlowEnds(1, default, default);
        pool.Release(new XmppElement
        {
            Ends = ends, Direction = FlowSide.Client, Time = 0, FirstFrame = 1, LastFrame = 1, Kind = "stanza", Name = "message",
            Summary = "", XmlUtf8 = new Utf8Text(front),
        });
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(front, out ArraySegment<byte> given));
        Assert.Same(given.Array, pool.Rent(given.Array!.Length));
    }

    [Fact]
    public void SmallFrontsAndBuffersWithoutAPoolAreNotGiven()
    {
        var pooled = new HeldBytes(new ElementCopyPool());
        pooled.Append(Bytes(ElementCopyPool.MinBytes - 1, 0));
        Assert.True(pooled.GiveFront(ElementCopyPool.MinBytes - 1).IsEmpty); // a shared block is cheaper for it

        var plain = new HeldBytes(null);
        plain.Append(Bytes(100_000, 0));
        Assert.True(plain.GiveFront(100_000).IsEmpty);
    }
}
