using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Tests.Flows;

/// <summary>The flow table's open-addressing index must behave as a dictionary through growth, collisions and removals.</summary>
public class FlowMapTests
{
    private static readonly BufferBudget Budget = new(1 << 20, 1 << 24);

    [Theory]
    [InlineData(1, 40)] // few keys: long runs of neighbours, removals from their middle
    [InlineData(2, 3000)] // many keys: several doublings
    public void Adds_finds_and_removes_as_a_dictionary_does(int seed, int keys)
    {
        var random = new Random(seed);
        var map = new FlowMap();
        var expected = new Dictionary<FlowKey, Flow>();
        for (int step = 0; step < 20_000; step++)
        {
            FlowKey key = Key(random.Next(keys));
            if (random.Next(3) == 0)
            {
                Assert.Equal(expected.Remove(key), map.Remove(key));
                continue;
            }
            ref Flow? slot = ref map.GetValueRefOrAddDefault(key, out bool exists);
            Assert.Equal(expected.TryGetValue(key, out Flow? known), exists);
            if (exists) Assert.Same(known, slot);
            else expected[key] = slot = new Flow(step, key, key.Low, key.High, 0, Budget);
            Assert.Equal(expected.Count, map.Count);
        }
        foreach ((FlowKey key, Flow flow) in expected) Assert.Same(flow, map.GetValueRefOrAddDefault(key, out _));
        Assert.Equal(expected.Values.OrderBy(f => f.Id), map.Values().OrderBy(f => f.Id));
    }

    [Fact]
    public void A_new_slot_is_empty_until_set_and_a_removed_key_is_gone()
    {
        var map = new FlowMap();
        FlowKey key = Key(7);

        ref Flow? slot = ref map.GetValueRefOrAddDefault(key, out bool exists);
        Assert.False(exists);
        Assert.Null(slot);
        slot = new Flow(1, key, key.Low, key.High, 0, Budget);

        Assert.True(map.Remove(key));
        Assert.False(map.Remove(key));
        Assert.Equal(0, map.Count);
        Assert.Empty(map.Values());
    }

    /// <summary>Keys that differ in the client port only, as on one busy server, with both directions' order.</summary>
    private static FlowKey Key(int n)
    {
        var client = new Endpoint(Address.Parse("10.0.0.1"), (ushort)(40000 + n));
        var server = new Endpoint(Address.Parse("10.0.0.2"), 5222);
        return FlowKey.For(client, server, IpProtocol.Tcp, out _);
    }
}
