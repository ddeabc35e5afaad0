using XmppSniff.Running;
using Xunit;

namespace XmppSniff.Tests.Running;

public class BatchBytesTests
{
    [Fact]
    public void Kept_bytes_are_pointed_to_copied_bytes_copied_and_both_count_toward_the_size()
    {
        var bytes = new BatchBytes(100);
        byte[] kept = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        byte[] copied = [11, 12, 13];

        var (keptAddress, _) = bytes.Add(kept.AsSpan(2, 5), kept: true);
        var (copiedAddress, copiedOffset) = bytes.Add(copied, kept: false);
        copied[0] = 99; // a copy does not see later changes; what is pointed to does
        kept[3] = 42;

        Assert.Equal([3, 42, 5, 6, 7], bytes.Get(keptAddress, 0, 5).ToArray());
        Assert.Equal(0, copiedAddress);
        Assert.Equal([11, 12, 13], bytes.Get(copiedAddress, copiedOffset, 3).ToArray());
        Assert.Equal(8, bytes.Count);
        Assert.False(bytes.WouldOverflow(92));
        Assert.True(bytes.WouldOverflow(93));

        bytes.Clear();
        Assert.Equal(0, bytes.Count);
        Assert.False(bytes.WouldOverflow(100));
    }

    [Fact]
    public void A_copy_larger_than_the_buffer_still_fits()
    {
        var bytes = new BatchBytes(4);
        byte[] big = [.. Enumerable.Range(0, 10).Select(i => (byte)i)];
        var (address, offset) = bytes.Add(big, kept: false);
        Assert.Equal(big, bytes.Get(address, offset, 10).ToArray());
    }
}
