using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Tests.Files;

public sealed class MappedFileTests : IDisposable
{
    private const int MiB = 1 << 20;
    private readonly string _path = Path.GetTempFileName();
    private readonly byte[] _content = new byte[24 * MiB];

    public MappedFileTests()
    {
        new Random(5).NextBytes(_content);
        File.WriteAllBytes(_path, _content);
    }

    public void Dispose() => File.Delete(_path);

    private MappedFile Open() => MappedFile.Open(new FileStream(_path, FileMode.Open, FileAccess.Read));

    private static void ReadTo(MappedFile file, long end)
    {
        for (long offset = 0; offset < end; offset += 64 * 1024) file.Span(offset, 1);
    }

    [Fact]
    public void Pages_behind_the_reader_are_handed_back_by_default()
    {
        using MappedFile file = Open();
        ReadTo(file, 20 * MiB);
        Assert.InRange(file.ReleasedBefore, 14 * MiB, 20 * MiB);
    }

    [Fact]
    public void Pages_are_handed_back_only_before_what_the_consumer_is_done_with()
    {
        using MappedFile file = Open();
        file.ConsumedBefore(0);
        ReadTo(file, 20 * MiB);
        Assert.Equal(0, file.ReleasedBefore);
        file.ConsumedBefore(6 * MiB);
        ReadTo(file, 20 * MiB);
        Assert.InRange(file.ReleasedBefore, 1, 6 * MiB); // in steps, never past what is consumed
    }

    [Fact]
    public void Bytes_it_holds_stay_readable_after_their_pages_were_handed_back()
    {
        using MappedFile file = Open();
        ReadOnlySpan<byte> first = file.Span(0, 4096);
        Assert.True(file.Kept.Contain(first));
        Assert.False(file.Kept.Contain(_content.AsSpan(0, 4096)));
        ReadTo(file, 24 * MiB);
        Assert.True(file.ReleasedBefore > 0);
        Assert.True(first.SequenceEqual(_content.AsSpan(0, 4096)));
    }
}
