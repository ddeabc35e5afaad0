using System.Globalization;
using XmppSniff.Output;

namespace XmppSniff.Tests.Output;

public class OutputBufferTests
{
    /// <summary>JSON and CSV write numbers straight as bytes; the text must be what a cell prints (a decimal, never 8E-06).</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(7.0)]
    [InlineData(-3.0)]
    [InlineData(0.000008)]
    [InlineData(1e-7)]
    [InlineData(123.456)]
    [InlineData(-2.5)]
    [InlineData(1.0 / 3)]
    [InlineData(999_999_999_999_999.0)]
    [InlineData(1e15)]
    [InlineData(1e16)]
    [InlineData(123_456_789_012_345_678.0)]
    public void WriteNumberPrintsWhatACellPrints(double number)
    {
        var text = new StringWriter();
        var buffer = new OutputBuffer(text);
        buffer.WriteNumber(number);
        buffer.Drain();
        Assert.Equal(((decimal)number).ToString(CultureInfo.InvariantCulture), text.ToString()); // Cell.ToString's definition
    }
}
