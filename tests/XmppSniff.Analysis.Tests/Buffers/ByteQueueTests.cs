using XmppSniff.Analysis.Buffers;

namespace XmppSniff.Analysis.Tests.Buffers;

public class ByteQueueTests
{
    [Fact]
    public void Holds_exactly_what_was_appended_and_not_yet_consumed()
    {
        // Appends of every size from 1 byte to 70 KiB, consumes in between: the queue grows, compacts and empties.
        var random = new Random(3);
        var queue = new ByteQueue();
        var expected = new List<byte>();
        byte next = 0;
        for (int round = 0; round < 2_000; round++)
        {
            byte[] data = new byte[random.Next(4) == 0 ? random.Next(1, 70_000) : random.Next(1, 300)];
            foreach (ref byte b in data.AsSpan()) b = next++;
            queue.Append(data);
            expected.AddRange(data);
            int consume = random.Next(3) == 0 ? expected.Count : random.Next(expected.Count + 1);
            Assert.Equal(expected.Count, queue.Length);
            Assert.True(queue.Span.SequenceEqual(expected.ToArray()));
            queue.Consume(consume);
            expected.RemoveRange(0, consume);
        }
        queue.Clear();
        Assert.Equal(0, queue.Length);
    }

    [Fact]
    public void A_taken_front_is_never_written_again_and_the_rest_moves_out()
    {
        var queue = new ByteQueue();
        byte[] data = [.. Enumerable.Range(0, 10_000).Select(i => (byte)i)];
        queue.Append(data);
        ReadOnlyMemory<byte> front = queue.TakeFront(8_000);
        Assert.True(queue.TakeFront(8_000).IsEmpty); // taken once
        queue.Consume(8_000);
        queue.Append(new byte[7_000]); // would fit if the buffer were compacted in place
        Assert.True(front.Span.SequenceEqual(data.AsSpan(0, 8_000)));
        Assert.True(queue.Span[..2_000].SequenceEqual(data.AsSpan(8_000)));
        Assert.Equal(9_000, queue.Length);
    }
}
