using System.Globalization;
using XmppSniff.Output;

namespace XmppSniff.Tests.Output;

public class FormatsTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1_732_564_074_137_824_123L)]
    [InlineData(1_732_564_074_999_999_999L)]
    [InlineData(1_732_564_075_000_000_001L)]
    [InlineData(-1_500L)]
    public void Time_is_iso8601_with_microseconds_as_datetime_formats_it(long nanoseconds)
    {
        string expected = DateTime.UnixEpoch.AddTicks(nanoseconds / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        Assert.Equal(expected, Formats.Time(nanoseconds));
        Assert.Equal(expected, Formats.Time(nanoseconds)); // again, from the per-second cache
    }

    [Fact]
    public void Times_in_consecutive_seconds_each_get_their_own_second()
    {
        Assert.Equal("2024-11-25T20:27:54.999999Z", Formats.Time(1_732_566_474_999_999_000L));
        Assert.Equal("2024-11-25T20:27:55.000001Z", Formats.Time(1_732_566_475_000_001_000L));
        Assert.Equal("2024-11-25T20:27:54.000000Z", Formats.Time(1_732_566_474_000_000_000L));
    }

    [Fact]
    public void Enumeration_values_are_written_in_lower_case_and_an_unnamed_one_as_its_number()
    {
        Assert.Equal("fin", Formats.Lower(XmppSniff.Core.CloseKind.Fin));
        Assert.Equal("fin", Formats.Lower(XmppSniff.Core.CloseKind.Fin)); // again, from the names made once
        Assert.Equal("long", Formats.Lower(XmppSniff.Core.FlowKind.Long));
        Assert.Equal("99", Formats.Lower((XmppSniff.Core.FlowKind)99));
    }
}
