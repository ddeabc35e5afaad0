using System.Text;
using XmppSniff.Output;

namespace XmppSniff.Tests;

public class SecretMaskerTests
{
    private static string Mask(string text, params int[] cuts)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var masker = new SecretMasker();
        int at = 0;
        foreach (int cut in cuts.Append(bytes.Length))
        {
            masker.MaskInPlace(bytes.AsSpan(at, cut - at));
            at = cut;
        }
        return Encoding.UTF8.GetString(bytes);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\nAuthorization: Basic ************\r\nHost: x\r\n\r\n")]
    [InlineData("authorization:Bearer abc\nproxy-authorization: Digest u=\"a\", r=\"b\"\n",
                "authorization:Bearer ***\nproxy-authorization: Digest ************\n")]
    [InlineData("Cookie: a=1; b=2\r\nSet-Cookie: sid=xyz; HttpOnly\r\nX-Cookie: visible\r\n",
                "Cookie: ********\r\nSet-Cookie: *****************\r\nX-Cookie: visible\r\n")]
    [InlineData("Cookie:\r\nAuthorization: Basic\r\nok",
                "Cookie:\r\nAuthorization: Basic\r\nok")]
    [InlineData("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGEAYg==</auth><authx>shown</authx>",
                "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>********</auth><authx>shown</authx>")]
    [InlineData("<success xmlns='x'/><challenge>cmVhbG0=</challenge><response\n>ZGF0YQ==</response><body>hi</body>",
                "<success xmlns='x'/><challenge>********</challenge><response\n>********</response><body>hi</body>")]
    [InlineData("<query><username>u</username><password>hunter2</password><digest>abc</digest></query>",
                "<query><username>u</username><password>*******</password><digest>***</digest></query>")]
    public void MasksTheValuesAndNothingElseWhereverTheStreamIsCut(string input, string expected)
    {
        Assert.Equal(expected, Mask(input));
        for (int cut = 1; cut < input.Length; cut++)
            Assert.Equal(expected, Mask(input, cut));
        Assert.Equal(expected, Mask(input, Enumerable.Range(1, input.Length - 1).ToArray()));
    }
}
