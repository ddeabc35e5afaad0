using XmppSniff.Running;
using Xunit;

namespace XmppSniff.Tests.Running;

/// <summary>Alone: it reads process-wide memory figures that other tests' allocations would move.</summary>
[CollectionDefinition(nameof(HeapWarmUpTests), DisableParallelization = true)]
public sealed class HeapWarmUpCollection;

[Collection(nameof(HeapWarmUpTests))]
public class HeapWarmUpTests
{
    private const long MiB = 1 << 20;

    [Fact]
    public void The_collector_commits_the_room_asked_for_without_making_it_resident()
    {
        GC.Collect();
        long committed = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        long resident = Environment.WorkingSet;

        // More than is committed already, so the room cannot come from free space the heap holds.
        Assert.True(HeapWarmUp.Commit(committed + 128 * MiB));

        long grown = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes - committed;
        Assert.True(grown >= 128 * MiB, $"committed grew by {grown / MiB} MiB");
        Assert.True(Environment.WorkingSet - resident < 32 * MiB, $"resident grew by {(Environment.WorkingSet - resident) / MiB} MiB");
    }

    [Fact]
    public void More_than_the_collector_can_promise_is_declined_not_thrown() =>
        Assert.False(HeapWarmUp.Commit(long.MaxValue / 2));
}
