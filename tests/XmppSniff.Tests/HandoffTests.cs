using XmppSniff.Running;

namespace XmppSniff.Tests;

/// <summary>The pipeline's hand-off between threads: order, its bound, and its end.</summary>
public class HandoffTests
{
    private static Thread Start(Action work)
    {
        var thread = new Thread(() => work()) { IsBackground = true };
        thread.Start();
        return thread;
    }

    [Fact]
    public void ItemsArriveInOrderAcrossThreadsAndTheEndComesAfterTheLast()
    {
        var handoff = new Handoff<int>(3);
        Thread producer = Start(() =>
        {
            for (int i = 0; i < 10_000; i++) handoff.Add(i);
            handoff.CompleteAdding();
        });
        Assert.Equal(Enumerable.Range(0, 10_000), handoff.GetConsumingEnumerable().ToList());
        Assert.True(producer.Join(5000));
        Assert.False(handoff.TryTake(out _));
        Assert.Throws<InvalidOperationException>(() => handoff.Take());
        Assert.Throws<InvalidOperationException>(() => handoff.Add(1));
    }

    [Fact]
    public void AddWaitsWhileFullUntilAnItemIsTaken()
    {
        var handoff = new Handoff<int>(2);
        handoff.Add(1);
        handoff.Add(2);
        Thread third = Start(() => handoff.Add(3));
        Assert.False(third.Join(200));
        Assert.Equal(1, handoff.Take());
        Assert.True(third.Join(5000));
        Assert.Equal([2, 3], [handoff.Take(), handoff.Take()]);
    }

    [Fact]
    public void TakeWaitsForAnItemAndCompletionWakesAWaitingTaker()
    {
        var handoff = new Handoff<string>(1);
        string? taken = null;
        Thread taker = Start(() => taken = handoff.Take());
        Assert.False(taker.Join(200));
        handoff.Add("a");
        Assert.True(taker.Join(5000));
        Assert.Equal("a", taken);

        bool? got = null;
        Thread ender = Start(() => got = handoff.TryTake(out _));
        Assert.False(ender.Join(200));
        handoff.CompleteAdding();
        Assert.True(ender.Join(5000));
        Assert.False(got);
    }
}
