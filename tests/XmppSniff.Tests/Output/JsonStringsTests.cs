using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using XmppSniff.Output;

namespace XmppSniff.Tests.Output;

public class JsonStringsTests
{
    private static string Reference(byte[] utf8)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            json.WriteStringValue(utf8);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? Ours(byte[] utf8)
    {
        var text = new StringWriter();
        var buffer = new OutputBuffer(text);
        if (!JsonStrings.TryWriteQuoted(utf8, buffer)) return null;
        buffer.Drain();
        return text.ToString();
    }

    // The same text given as UTF-16 must come out the same.
    private static string? OursFromUtf16(byte[] utf8)
    {
        var text = new StringWriter();
        var buffer = new OutputBuffer(text);
        if (!JsonStrings.TryWriteQuoted(Encoding.UTF8.GetString(utf8).AsSpan(), buffer)) return null;
        buffer.Drain();
        return text.ToString();
    }

    [Fact]
    public void Every_ascii_byte_alone_and_between_text_is_escaped_as_the_json_writer_escapes_it()
    {
        for (int b = 0; b < 0x80; b++)
        {
            byte[] alone = [(byte)b];
            byte[] inText = [.. "<body a='1'>"u8, (byte)b, (byte)b, .. "x</body>"u8];
            Assert.Equal(Reference(alone), Ours(alone));
            Assert.Equal(Reference(inText), Ours(inText));
            Assert.Equal(Reference(inText), OursFromUtf16(inText));
        }
    }

    [Fact]
    public void Long_text_with_escapes_spread_through_it_matches_the_json_writer()
    {
        var random = new Random(7);
        byte[] text = new byte[100_000];
        for (int i = 0; i < text.Length; i++) text[i] = random.Next(20) == 0 ? (byte)random.Next(0, 0x20) : (byte)random.Next(0x20, 0x80);
        Assert.Equal(Reference(text), Ours(text));
        Assert.Equal(Reference(text), OursFromUtf16(text));
    }

    [Fact]
    public void A_byte_to_escape_or_give_up_on_is_found_at_any_place_in_long_text()
    {
        // Long text is copied 32 bytes at a time while no byte in a block needs care: each kind, at every place.
        foreach (byte special in (byte[])[0x00, 0x1F, (byte)'"', (byte)'\\', 0x7F, 0x80, 0xC3, 0xFF])
        {
            for (int at = 0; at < 100; at++)
            {
                byte[] text = [.. Enumerable.Repeat((byte)'x', 100)];
                text[at] = special;
                if (special >= 0x80) Assert.Null(Ours(text));
                else Assert.Equal(Reference(text), Ours(text));
            }
        }
    }

    [Fact]
    public void Text_of_every_length_with_escapes_at_any_two_places_matches_the_json_writer()
    {
        // Blocks are written whole and kept up to the first byte that needs care; the last few bytes go through a copy.
        for (int length = 1; length <= 70; length++)
            for (int first = 0; first < length; first++)
                for (int second = first; second < length; second += 3)
                {
                    byte[] text = [.. Enumerable.Repeat((byte)'x', length)];
                    text[first] = (byte)'"';
                    text[second] = second == first ? (byte)'\\' : (byte)'\n';
                    Assert.Equal(Reference(text), Ours(text));
                }
    }

    [Fact]
    public void Text_that_is_not_ascii_is_left_to_the_json_writer()
    {
        Assert.Null(Ours("héllo"u8.ToArray()));
        Assert.Null(Ours([0x41, 0xFF]));
        Assert.Null(OursFromUtf16("héllo"u8.ToArray()));
    }

    [Fact]
    public void Giving_up_on_text_leaves_nothing_of_it_in_the_output()
    {
        var text = new StringWriter();
        var buffer = new OutputBuffer(text);
        buffer.Write("{\"a\":"u8);
        // The quote, the escapes and the text before the first non-ASCII byte were already written when it is found.
        Assert.False(JsonStrings.TryWriteQuoted("say \"hi\"\n then é"u8, buffer));
        Assert.Equal(5, buffer.Count);
        // So were the plain blocks copied whole before it.
        Assert.False(JsonStrings.TryWriteQuoted([.. Enumerable.Repeat((byte)'x', 70), .. "é"u8], buffer));
        Assert.Equal(5, buffer.Count);
        buffer.Drain();
        Assert.Equal("{\"a\":", text.ToString());
    }
}
