using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Tests.Files;

public sealed class KeptBytesTests
{
    [Fact]
    public void Only_spans_wholly_inside_the_region_are_kept()
    {
        byte[] memory = GC.AllocateArray<byte>(64, pinned: true);
        KeptBytes kept;
        unsafe
        {
            fixed (byte* p = memory) kept = new KeptBytes(p + 8, 48);
        }
        Assert.True(kept.Contain(memory.AsSpan(8, 48)));
        Assert.True(kept.Contain(memory.AsSpan(55, 1)));
        Assert.False(kept.Contain(memory.AsSpan(7, 2)));
        Assert.False(kept.Contain(memory.AsSpan(50, 7)));
        Assert.False(kept.Contain(new byte[4]));
    }

    [Fact]
    public void The_default_keeps_nothing() => Assert.False(default(KeptBytes).Contain(new byte[1]));
}
