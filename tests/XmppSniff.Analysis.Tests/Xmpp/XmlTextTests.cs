using System.Text;
using XmppSniff.Analysis.Protocols.Xmpp;

namespace XmppSniff.Analysis.Tests.Xmpp;

public class XmlTextTests
{
    public static TheoryData<byte[]> Texts() =>
    [
        "plain text"u8.ToArray(),
        "caf\u00e9"u8.ToArray(),
        "a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;"u8.ToArray(),
        "&#65;&#x42;&#0;&#xD800;&#x110000;&#;&#x;"u8.ToArray(),
        "&undefined; &lol9; & alone &amp"u8.ToArray(),
        "&averyveryverylongname;"u8.ToArray(),
        [0x61, 0xFF, 0x62],
        [0x26, 0x61, 0x6D, 0x70, 0x3B, 0xC3],
        [],
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void Check_finds_the_problems_decoding_finds_and_calls_plain_only_text_that_decodes_to_itself(byte[] raw)
    {
        var checkedProblems = XmlText.Problems.None;
        bool plain = XmlText.Check(raw, ref checkedProblems);
        var decodedProblems = XmlText.Problems.None;
        string text = XmlText.Decode(raw, ref decodedProblems);
        Assert.Equal(decodedProblems, checkedProblems);
        Assert.Equal(plain, raw.AsSpan().IndexOf((byte)'&') < 0 && decodedProblems == XmlText.Problems.None);
        if (plain) Assert.Equal(raw, Encoding.UTF8.GetBytes(text));
    }
}
