using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace XmppSniff.Analysis.Protocols.Tls.Decryption;

/// <summary>Turns logged secrets into record keys: TLS 1.2's PRF key block (RFC 5246 §5, §6.3) and TLS 1.3's HKDF-Expand-Label (RFC 8446 §7).</summary>
internal static class TlsKeyDerivation
{
    /// <summary>P_hash(secret, label + seed) of RFC 5246 §5, <paramref name="length"/> bytes.</summary>
    public static byte[] Prf12(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, int length)
    {
        byte[] labelSeed = [.. Encoding.ASCII.GetBytes(label), .. seed];
        var output = new byte[length];
        byte[] a = labelSeed; // A(0)
        int done = 0;
        while (done < length)
        {
            a = Hmac(hash, secret, a); // A(i) = HMAC(secret, A(i-1))
            byte[] block = Hmac(hash, secret, [.. a, .. labelSeed]);
            int n = Math.Min(block.Length, length - done);
            block.AsSpan(0, n).CopyTo(output.AsSpan(done));
            done += n;
        }
        return output;
    }

    /// <summary>The TLS 1.2 key block, split into each side's MAC key, cipher key and fixed IV.</summary>
    public static (RecordKeys Client, RecordKeys Server) KeyBlock12(TlsCipherSuite suite, ReadOnlySpan<byte> masterSecret, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        int mac = suite.MacLength, key = suite.KeyLength, iv = suite.FixedIvLength;
        byte[] block = Prf12(suite.Prf, masterSecret, "key expansion", [.. serverRandom, .. clientRandom], 2 * (mac + key + iv));
        int at = 0;
        byte[] Take(int n)
        {
            byte[] part = block.AsSpan(at, n).ToArray();
            at += n;
            return part;
        }
        byte[] clientMac = Take(mac), serverMac = Take(mac), clientKey = Take(key), serverKey = Take(key);
        byte[] clientIv = Take(iv), serverIv = Take(iv);
        return (new RecordKeys(clientKey, clientIv, clientMac), new RecordKeys(serverKey, serverIv, serverMac));
    }

    /// <summary>HKDF-Expand-Label(secret, label, context, length) of RFC 8446 §7.1.</summary>
    public static byte[] ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        byte[] fullLabel = Encoding.ASCII.GetBytes("tls13 " + label);
        var info = new byte[2 + 1 + fullLabel.Length + 1 + context.Length];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)length);
        info[2] = (byte)fullLabel.Length;
        fullLabel.CopyTo(info, 3);
        info[3 + fullLabel.Length] = (byte)context.Length;
        context.CopyTo(info.AsSpan(4 + fullLabel.Length));
        var output = new byte[length];
        HKDF.Expand(hash, secret, output, info);
        return output;
    }

    /// <summary>The key and IV of a TLS 1.3 traffic secret (RFC 8446 §7.3).</summary>
    public static RecordKeys TrafficKeys13(TlsCipherSuite suite, ReadOnlySpan<byte> secret) =>
        new(ExpandLabel(suite.Prf, secret, "key", [], suite.KeyLength), ExpandLabel(suite.Prf, secret, "iv", [], 12), []);

    /// <summary>The next traffic secret after a KeyUpdate (RFC 8446 §7.2).</summary>
    public static byte[] NextSecret13(TlsCipherSuite suite, ReadOnlySpan<byte> secret) =>
        ExpandLabel(suite.Prf, secret, "traffic upd", [], TlsCipherSuite.HashLength(suite.Prf));

    private static byte[] Hmac(HashAlgorithmName hash, ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA384 ? HMACSHA384.HashData(key, data) : HMACSHA256.HashData(key, data);
}

/// <summary>One direction's keys: cipher key, IV (fixed part) and, for CBC suites, the MAC key.</summary>
internal sealed record RecordKeys(byte[] Key, byte[] Iv, byte[] MacKey);
