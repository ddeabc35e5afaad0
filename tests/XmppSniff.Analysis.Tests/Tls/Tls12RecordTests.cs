using System.Buffers.Binary;
using System.Security.Cryptography;
using XmppSniff.Analysis.Protocols.Tls.Decryption;

namespace XmppSniff.Analysis.Tests.Tls;

/// <summary>
/// TLS 1.2 record protection: records sealed here the way RFC 5246 §6.2.3, RFC 5288 (GCM),
/// RFC 7905 (ChaCha20-Poly1305) and RFC 7366 (encrypt-then-MAC) describe, opened by the
/// decrypter. A wrong MAC, bad padding, a replayed record and a cut record must all fail.
/// </summary>
public class Tls12RecordTests
{
    private static readonly byte[] Message = "<message to='romeo@localhost'><body>hi</body></message>"u8.ToArray();

    private static byte[] Bytes(int n, byte seed) => Enumerable.Range(0, n).Select(i => (byte)(seed + i * 7)).ToArray();

    private static byte[] Header(int length) => [23, 3, 3, (byte)(length >> 8), (byte)length];

    private static byte[] Pseudo(ulong seq, int length)
    {
        var p = new byte[13];
        BinaryPrimitives.WriteUInt64BigEndian(p, seq);
        Header(length).CopyTo(p, 8);
        return p;
    }

    private static byte[] Gcm(RecordKeys keys, ulong seq, byte[] plain)
    {
        byte[] explicitNonce = Bytes(8, (byte)(seq + 40));
        byte[] nonce = [.. keys.Iv, .. explicitNonce];
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var gcm = new AesGcm(keys.Key, 16);
        gcm.Encrypt(nonce, plain, cipher, tag, Pseudo(seq, plain.Length));
        return [.. explicitNonce, .. cipher, .. tag];
    }

    private static byte[] ChaCha(RecordKeys keys, ulong seq, byte[] plain)
    {
        byte[] nonce = [.. keys.Iv];
        for (int i = 0; i < 8; i++) nonce[4 + i] ^= (byte)(seq >> (56 - 8 * i));
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var chacha = new ChaCha20Poly1305(keys.Key);
        chacha.Encrypt(nonce, plain, cipher, tag, Pseudo(seq, plain.Length));
        return [.. cipher, .. tag];
    }

    private static byte[] Cbc(RecordKeys keys, HashAlgorithmName mac, ulong seq, byte[] plain, bool encryptThenMac, int extraPadding = 0)
    {
        byte[] iv = Bytes(16, (byte)(seq + 90));
        byte[] body = encryptThenMac ? plain : [.. plain, .. Hmac(mac, keys.MacKey, [.. Pseudo(seq, plain.Length), .. plain])];
        int pad = 15 - body.Length % 16 + extraPadding;
        byte[] padded = [.. body, .. Enumerable.Repeat((byte)pad, pad + 1)];
        using var aes = Aes.Create();
        aes.Key = keys.Key;
        byte[] encrypted = [.. iv, .. aes.EncryptCbc(padded, iv, PaddingMode.None)];
        return encryptThenMac ? [.. encrypted, .. Hmac(mac, keys.MacKey, [.. Pseudo(seq, encrypted.Length), .. encrypted])] : encrypted;
    }

    private static byte[] Hmac(HashAlgorithmName mac, byte[] key, byte[] data) => CryptographicOperations.HmacData(mac, key, data);

    private static (RecordKeys Client, RecordKeys Server) KeyBlock(TlsCipherSuite suite) =>
        TlsKeyDerivation.KeyBlock12(suite, Bytes(48, 1), Bytes(32, 2), Bytes(32, 3));

    private static byte[]? Open(RecordDecrypter decrypter, byte[] fragment)
    {
        byte type = 23;
        return decrypter.TryOpen(Header(fragment.Length), fragment, ref type, out byte[] plain) ? plain : null;
    }

    public static TheoryData<ushort, bool> Suites() => new()
    {
        { 0xC02F, false }, { 0xC030, false }, { 0xCCA8, false },
        { 0xC013, false }, { 0xC013, true }, { 0xC027, true }, { 0xC028, false }, { 0x003D, true },
    };

    private static byte[] Seal(TlsCipherSuite suite, RecordKeys keys, ulong seq, byte[] plain, bool etm) => suite.Cipher switch
    {
        RecordCipherKind.AesGcm => Gcm(keys, seq, plain),
        RecordCipherKind.ChaCha20Poly1305 => ChaCha(keys, seq, plain),
        _ => Cbc(keys, suite.Mac!.Value, seq, plain, etm),
    };

    [Theory]
    [MemberData(nameof(Suites))]
    public void RecordsOpenInSequence(ushort id, bool encryptThenMac)
    {
        TlsCipherSuite suite = TlsCipherSuite.Find(id)!;
        (RecordKeys client, _) = KeyBlock(suite);
        using RecordDecrypter decrypter = RecordDecrypter.Tls12(suite, client, encryptThenMac);
        for (ulong seq = 0; seq < 3; seq++)
        {
            byte[] plain = [.. Message, (byte)seq];
            Assert.Equal(plain, Open(decrypter, Seal(suite, client, seq, plain, encryptThenMac)));
        }
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void TheOtherSidesKeysOrAReplayedRecordFail(ushort id, bool encryptThenMac)
    {
        TlsCipherSuite suite = TlsCipherSuite.Find(id)!;
        (RecordKeys client, RecordKeys server) = KeyBlock(suite);
        using (RecordDecrypter wrong = RecordDecrypter.Tls12(suite, server, encryptThenMac))
            Assert.Null(Open(wrong, Seal(suite, client, 0, Message, encryptThenMac)));
        using RecordDecrypter decrypter = RecordDecrypter.Tls12(suite, client, encryptThenMac);
        byte[] first = Seal(suite, client, 0, Message, encryptThenMac);
        Assert.NotNull(Open(decrypter, first));
        Assert.Null(Open(decrypter, first)); // sequence 1 expected: the MAC covers the number
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void EveryFlippedBitAndEveryCutFails(ushort id, bool encryptThenMac)
    {
        TlsCipherSuite suite = TlsCipherSuite.Find(id)!;
        (RecordKeys client, _) = KeyBlock(suite);
        byte[] record = Seal(suite, client, 0, Message, encryptThenMac);
        for (int i = 0; i < record.Length; i++)
        {
            byte[] damaged = [.. record];
            damaged[i] ^= 0x20;
            using RecordDecrypter decrypter = RecordDecrypter.Tls12(suite, client, encryptThenMac);
            Assert.True(Open(decrypter, damaged) is null, $"byte {i} flipped");
        }
        for (int n = 0; n < record.Length; n++)
        {
            using RecordDecrypter decrypter = RecordDecrypter.Tls12(suite, client, encryptThenMac);
            Assert.Null(Open(decrypter, record[..n]));
        }
    }

    [Fact]
    public void CbcAcceptsLongPaddingAndRefusesTheWrongMode()
    {
        TlsCipherSuite suite = TlsCipherSuite.Find(0xC013)!;
        (RecordKeys client, _) = KeyBlock(suite);
        using (RecordDecrypter decrypter = RecordDecrypter.Tls12(suite, client, encryptThenMac: false))
            Assert.Equal(Message, Open(decrypter, Cbc(client, HashAlgorithmName.SHA1, 0, Message, false, extraPadding: 32)));
        using (RecordDecrypter decrypter = RecordDecrypter.Tls12(suite, client, encryptThenMac: true))
            Assert.Null(Open(decrypter, Cbc(client, HashAlgorithmName.SHA1, 0, Message, false)));
        using (RecordDecrypter decrypter = RecordDecrypter.Tls12(suite, client, encryptThenMac: false))
            Assert.Null(Open(decrypter, Cbc(client, HashAlgorithmName.SHA1, 0, Message, true)));
    }
}
