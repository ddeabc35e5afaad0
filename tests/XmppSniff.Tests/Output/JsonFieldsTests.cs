using System.Text.Json;
using XmppSniff.Core;
using XmppSniff.Output;
using Xunit;

namespace XmppSniff.Tests.Output;

/// <summary>The byte writers for times, endpoints and frame ranges give exactly what the text path gives.</summary>
public class JsonFieldsTests
{
    private static string Written(Action<OutputBuffer> write)
    {
        var text = new StringWriter();
        var buffer = new OutputBuffer(text);
        write(buffer);
        buffer.Drain();
        return text.ToString();
    }

    public static TheoryData<long> Times() =>
    [
        0,
        1_732_566_474_000_000_000,
        1_732_566_474_000_001_000,
        1_732_566_474_999_999_999, // the last microsecond of a second
        1_732_566_475_123_456_789, // nanoseconds below a microsecond are cut, as in the text
        4_102_444_800_000_000_000, // 2100
        -1_500, // before 1970: the fraction is negative
        -86_400_000_000_001,
    ];

    [Theory]
    [MemberData(nameof(Times))]
    public void Time_is_the_formatted_text_quoted(long time) =>
        Assert.Equal(JsonSerializer.Serialize(Formats.Time(time)), Written(to => JsonFields.Time(time, to)));

    [Fact]
    public void Time_made_again_after_the_second_changes_back()
    {
        long[] times = [1_732_566_474_100_000_000, 1_732_566_475_200_000_000, 1_732_566_474_300_000_000];
        Assert.Equal(
            string.Join("", times.Select(t => JsonSerializer.Serialize(Formats.Time(t)))),
            Written(to => { foreach (long t in times) JsonFields.Time(t, to); }));
    }

    [Theory]
    [InlineData("10.0.0.1", 5222)]
    [InlineData("2001:db8::1", 443)]
    [InlineData("::ffff:10.0.0.1", 0)]
    public void Endpoint_is_the_formatted_text_quoted(string address, ushort port)
    {
        var endpoint = new Endpoint(Address.Parse(address), port);
        string expected = JsonSerializer.Serialize(Formats.Endpoint(endpoint));
        Assert.Equal(expected + expected, Written(to => { JsonFields.Endpoint(endpoint, to); JsonFields.Endpoint(endpoint, to); }));
    }

    [Fact]
    public void Endpoints_that_share_a_cache_slot_each_keep_their_own_text()
    {
        // More endpoints than the cache has slots, all of them written, then all of them again.
        Endpoint[] endpoints = [.. Enumerable.Range(0, 20_000).Select(i => new Endpoint(Address.FromV4([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]), (ushort)(i % 7)))];
        string expected = string.Concat(endpoints.Select(e => JsonSerializer.Serialize(Formats.Endpoint(e))));
        Assert.Equal(expected + expected, Written(to => { foreach (Endpoint e in endpoints) JsonFields.Endpoint(e, to); foreach (Endpoint e in endpoints) JsonFields.Endpoint(e, to); }));
    }

    [Theory]
    [InlineData(7, 7, "\"7\"")]
    [InlineData(7, 1234567890123, "\"7-1234567890123\"")]
    [InlineData(0, 0, "\"0\"")]
    public void Frames_are_one_number_or_a_range(long first, long last, string expected) =>
        Assert.Equal(expected, Written(to => JsonFields.Frames(first, last, to)));
}
