using XmppSniff.Core;
using Xunit;

namespace XmppSniff.Analysis.Tests.Tallies;

/// <summary>The tallies' breakdowns by keys the capture chose stay bounded, and lose no count.</summary>
public class TallyBoundsTests
{
    private static readonly FlowEnds Ends = new(1, new Endpoint(Address.Parse("10.0.0.1"), 40000), new Endpoint(Address.Parse("10.0.0.2"), 5222));

    [Fact]
    public void A_capture_with_a_new_stanza_type_each_time_fills_the_breakdown_then_counts_the_rest_as_other()
    {
        var tally = new XmppTally();
        for (int i = 0; i < 1000; i++)
            tally.Add(new XmppElement
            {
                Ends = Ends, Direction = FlowSide.Client, Time = i, FirstFrame = i, LastFrame = i,
                Kind = "stanza", Name = "message", Type = $"t{i}", Summary = "message", RttMs = 1, Answers = $"get x{i}",
            });
        Assert.Equal(Breakdown.MaxKeys + 1, tally.Stanzas.Count);
        Assert.Equal(1000 - Breakdown.MaxKeys, tally.Stanzas["other"]);
        Assert.Equal(1000, tally.Stanzas.Values.Sum());
        Assert.Equal(Breakdown.MaxKeys + 1, tally.IqByRequest.Count);
        Assert.Equal(1000, tally.IqByRequest.Values.Sum(t => t.Count));
        Assert.Equal(1000, tally.Iq.Count);
    }

    [Fact]
    public void Http_methods_are_bounded_the_same_way_and_a_known_one_is_still_counted_past_the_bound()
    {
        var tally = new HttpTally();
        HttpTransaction Request(string method) => new() { Flow = 1, Client = Ends.Client, Server = Ends.Server, Time = 0, Method = method };
        tally.Add(Request("GET"));
        for (int i = 0; i < 500; i++) tally.Add(Request($"M{i}"));
        tally.Add(Request("GET"));
        Assert.Equal(Breakdown.MaxKeys + 1, tally.Methods.Count);
        Assert.Equal(2, tally.Methods["GET"]);
        Assert.Equal(502, tally.Methods.Values.Sum());
        Assert.Equal(502, tally.NoResponse);
    }
}
