using System.Security.Cryptography;
using XmppSniff.Analysis.Protocols.Tls.Decryption;

namespace XmppSniff.Analysis.Tests.Tls;

/// <summary>Key derivation against published vectors, and key log parsing.</summary>
public class TlsKeyScheduleTests
{
    [Fact]
    public void Tls12PrfWithSha256MatchesTheTlsWorkingGroupVector()
    {
        // https://www.ietf.org/mail-archive/web/tls/current/msg03416.html
        byte[] output = TlsKeyDerivation.Prf12(HashAlgorithmName.SHA256, Convert.FromHexString("9bbe436ba940f017b17652849a71db35"),
            "test label", Convert.FromHexString("a0ba9f936cda311827a6f796ffd5198c"), 100);
        Assert.Equal(
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af" +
            "0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66",
            Convert.ToHexStringLower(output));
    }

    [Fact]
    public void Tls12PrfWithSha384MatchesTheTlsWorkingGroupVector()
    {
        byte[] output = TlsKeyDerivation.Prf12(HashAlgorithmName.SHA384, Convert.FromHexString("b80b733d6ceefcdc71566ea48e5567df"),
            "test label", Convert.FromHexString("cd665cf6a8447dd6ff8b27555edb7465"), 148);
        Assert.Equal(
            "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0" +
            "e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425" +
            "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73e56f",
            Convert.ToHexStringLower(output));
    }

    [Fact]
    public void Tls13TrafficKeysMatchRfc8448()
    {
        TlsCipherSuite suite = TlsCipherSuite.Find(0x1301)!;
        RecordKeys server = TlsKeyDerivation.TrafficKeys13(suite, Convert.FromHexString(Rfc8448Trace.ServerHandshakeSecret));
        RecordKeys client = TlsKeyDerivation.TrafficKeys13(suite, Convert.FromHexString(Rfc8448Trace.ClientHandshakeSecret));
        Assert.Equal("3fce516009c21727d0f2e4e86ee403bc", Convert.ToHexStringLower(server.Key));
        Assert.Equal("5d313eb2671276ee13000b30", Convert.ToHexStringLower(server.Iv));
        Assert.Equal("5bd3c71b836e0b76bb73265f", Convert.ToHexStringLower(client.Iv));
    }

    [Fact]
    public void KeyUpdateGivesADifferentSecretOfTheSameLength()
    {
        TlsCipherSuite suite = TlsCipherSuite.Find(0x1302)!;
        byte[] secret = new byte[48];
        byte[] next = TlsKeyDerivation.NextSecret13(suite, secret);
        Assert.Equal(48, next.Length);
        Assert.NotEqual(secret, next);
        Assert.NotEqual(next, TlsKeyDerivation.NextSecret13(suite, next));
    }

    [Fact]
    public void KeyLogKeepsTheLinesItUsesAndSkipsTheRest()
    {
        string random = new('a', 64), other = new('b', 64);
        var log = new TlsKeyLog();
        int added = log.Add(
            "# a comment\r\n" +
            $"CLIENT_RANDOM {random} {new string('1', 96)}\r\n" +
            $"CLIENT_TRAFFIC_SECRET_0 {random.ToUpperInvariant()} {new string('2', 64)}\n" +
            $"EXPORTER_SECRET {random} {new string('3', 64)}\n" +    // a label decryption does not need
            $"CLIENT_RANDOM {random[..62]} {new string('4', 96)}\n" + // a random that is too short
            $"CLIENT_RANDOM {other} not-hex\n" +
            "garbage\n\n");
        Assert.Equal(2, added);
        Assert.Equal(2, log.Count);
        Assert.Equal(48, log.Find(TlsKeyLog.ClientRandom, Convert.FromHexString(random))!.Length);
        Assert.NotNull(log.Find(TlsKeyLog.ClientTraffic0, Convert.FromHexString(random)));
        Assert.Null(log.Find(TlsKeyLog.ServerTraffic0, Convert.FromHexString(random)));
        Assert.Null(log.Find(TlsKeyLog.ClientRandom, Convert.FromHexString(other)));
    }

    [Fact]
    public void A_followed_key_log_is_read_again_for_a_secret_it_did_not_have_and_a_half_written_line_waits()
    {
        string path = Path.GetTempFileName();
        try
        {
            string first = new('a', 64), second = new('b', 64), secret = new('c', 96);
            File.WriteAllText(path, $"CLIENT_RANDOM {first} {secret}\n");
            var log = new TlsKeyLog();
            Assert.Equal(1, log.Follow(path));

            File.AppendAllText(path, $"CLIENT_RANDOM {second} {secret[..40]}");
            Assert.Null(log.Find(TlsKeyLog.ClientRandom, Convert.FromHexString(second)));
            File.AppendAllText(path, $"{secret[40..]}\n");
            Assert.Equal(48, log.Find(TlsKeyLog.ClientRandom, Convert.FromHexString(second))!.Length);
            Assert.Equal(2, log.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
