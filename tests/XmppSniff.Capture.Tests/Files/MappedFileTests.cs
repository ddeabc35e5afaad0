using System.Runtime.InteropServices;
using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Tests.Files;

public sealed unsafe partial class MappedFileTests : IDisposable
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

    [Fact]
    public void Bytes_it_gave_are_located_in_the_file_and_read_again_from_it_after_their_pages_went_back()
    {
        using MappedFile file = Open();
        ReadOnlySpan<byte> piece = file.Span(5 * MiB + 123, 70_000);
        Assert.True(file.TryLocate(piece, out long position));
        Assert.Equal(5 * MiB + 123, position);
        Assert.False(file.TryLocate(_content.AsSpan(0, 10), out _));
        ReadTo(file, 24 * MiB);
        Assert.True(file.ReleasedBefore > position + 70_000);
        byte[] again = new byte[70_000];
        file.Read(position, again);
        Assert.Equal(_content.AsSpan(5 * MiB + 123, 70_000).ToArray(), again);
        Assert.Throws<EndOfStreamException>(() => file.Read(24 * MiB - 5, new byte[10]));
    }

    [Fact]
    public void The_file_is_asked_for_ahead_of_the_reader_and_never_past_its_end()
    {
        using MappedFile file = Open();
        file.Span(0, 1);
        Assert.Equal(24 * MiB, file.PrefetchedTo); // the window (32 MiB) is cut at the end of the file
        ReadTo(file, 24 * MiB);
        Assert.Equal(24 * MiB, file.PrefetchedTo);
    }

    [Fact]
    public void Pages_not_in_the_page_cache_are_read_ahead_before_the_reader_gets_to_them()
    {
        // On the disk the tests run from, not /tmp, which may be memory that cannot be evicted.
        string path = Path.Combine(AppContext.BaseDirectory, $"cold-{Guid.NewGuid():N}.bin");
        try
        {
            using (var written = new FileStream(path, FileMode.CreateNew))
            {
                written.Write(_content);
                written.Flush(flushToDisk: true); // dirty pages cannot be evicted
                Assert.Equal(0, PosixFadvise(written.SafeFileHandle.DangerousGetHandle().ToInt32(), 0, 0, FadviseDontNeed));
            }
            using MappedFile file = MappedFile.Open(new FileStream(path, FileMode.Open, FileAccess.Read));
            long last = _content.Length - 4096;
            Assert.False(InPageCache(file, last), "the file should have left the page cache");

            file.Span(0, 1);

            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (!InPageCache(file, last) && waited.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
            Assert.True(InPageCache(file, last), "the last page was not read ahead");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private const int FadviseDontNeed = 4;

    private static bool InPageCache(MappedFile file, long offset)
    {
        byte* page = (byte*)((nint)(file.Start + offset) & ~(nint)(Environment.SystemPageSize - 1));
        byte resident = 0;
        Assert.Equal(0, Mincore(page, 1, &resident));
        return (resident & 1) != 0;
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "mincore")]
    private static partial int Mincore(byte* address, nuint length, byte* vector);
}
