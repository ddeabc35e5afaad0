using System.Buffers.Binary;
using System.Security.Cryptography;

namespace XmppSniff.Analysis.Protocols.Tls.Decryption;

/// <summary>
/// Opens the records of one direction under one set of keys, counting their sequence numbers.
/// A record that fails authentication (wrong key, damaged bytes) gives false and no plaintext:
/// nothing unauthenticated is ever handed on.
/// </summary>
internal abstract class RecordDecrypter : IDisposable
{
    private const int TagLength = 16;

    /// <summary>Records opened (or tried) under these keys: the implicit sequence number.</summary>
    public ulong Sequence { get; protected set; }

    /// <summary>
    /// Opens one record given its 5-byte header and fragment. <paramref name="type"/> is the
    /// outer content type on entry and the real one on return (TLS 1.3 hides it inside).
    /// </summary>
    public abstract bool TryOpen(ReadOnlySpan<byte> header, ReadOnlySpan<byte> fragment, ref byte type, out byte[] plaintext);

    public virtual void Dispose()
    {
    }

    public static RecordDecrypter Tls13(TlsCipherSuite suite, RecordKeys keys) => new Aead(suite, keys, tls13: true);

    public static RecordDecrypter Tls12(TlsCipherSuite suite, RecordKeys keys, bool encryptThenMac) =>
        suite.IsAead ? new Aead(suite, keys, tls13: false) : new Cbc(suite, keys, encryptThenMac);

    /// <summary>The nonce of RFC 8446 §5.3 and RFC 7905: the IV xor the sequence number, left-padded.</summary>
    private static void XorSequence(Span<byte> nonce, ReadOnlySpan<byte> iv, ulong sequence)
    {
        iv.CopyTo(nonce);
        Span<byte> seq = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(seq, sequence);
        for (int i = 0; i < 8; i++) nonce[nonce.Length - 8 + i] ^= seq[i];
    }

    /// <summary>TLS 1.2's additional data (and MAC prefix): seq_num, type, version, length (RFC 5246 §6.2.3).</summary>
    private static void Pseudoheader(Span<byte> into, ulong sequence, ReadOnlySpan<byte> header, int length)
    {
        BinaryPrimitives.WriteUInt64BigEndian(into, sequence);
        into[8] = header[0];
        into[9] = header[1];
        into[10] = header[2];
        BinaryPrimitives.WriteUInt16BigEndian(into[11..], (ushort)length);
    }

    /// <summary>AES-GCM and ChaCha20-Poly1305, as TLS 1.3 and TLS 1.2 (RFC 5288, RFC 7905) use them.</summary>
    private sealed class Aead : RecordDecrypter
    {
        private readonly AesGcm? _gcm;
        private readonly ChaCha20Poly1305? _chacha;
        private readonly byte[] _iv;
        private readonly bool _tls13;

        public Aead(TlsCipherSuite suite, RecordKeys keys, bool tls13)
        {
            if (suite.Cipher == RecordCipherKind.AesGcm) _gcm = new AesGcm(keys.Key, TagLength);
            else _chacha = new ChaCha20Poly1305(keys.Key);
            _iv = keys.Iv;
            _tls13 = tls13;
        }

        public override bool TryOpen(ReadOnlySpan<byte> header, ReadOnlySpan<byte> fragment, ref byte type, out byte[] plaintext)
        {
            plaintext = [];
            ulong sequence = Sequence++;
            Span<byte> nonce = stackalloc byte[12];
            Span<byte> aad = stackalloc byte[13];
            ReadOnlySpan<byte> sealedPart = fragment;
            if (_tls13) header.CopyTo(aad);
            else if (_gcm is not null)
            {
                // TLS 1.2 GCM: a 4-byte salt from the key block and 8 explicit bytes in the record.
                if (fragment.Length < 8 + TagLength) return false;
                _iv.AsSpan(0, 4).CopyTo(nonce);
                fragment[..8].CopyTo(nonce[4..]);
                sealedPart = fragment[8..];
            }
            if (sealedPart.Length < TagLength) return false;
            if (_tls13 || _chacha is not null) XorSequence(nonce, _iv, sequence);
            if (!_tls13) Pseudoheader(aad, sequence, header, sealedPart.Length - TagLength);

            var opened = new byte[sealedPart.Length - TagLength];
            try
            {
                ReadOnlySpan<byte> body = sealedPart[..^TagLength], tag = sealedPart[^TagLength..];
                ReadOnlySpan<byte> associated = _tls13 ? aad[..5] : aad;
                if (_gcm is not null) _gcm.Decrypt(nonce, body, tag, opened, associated);
                else _chacha!.Decrypt(nonce, body, tag, opened, associated);
            }
            catch (CryptographicException)
            {
                return false;
            }
            if (!_tls13)
            {
                plaintext = opened;
                return true;
            }
            // TLSInnerPlaintext: content, the real type, then zero padding (RFC 8446 §5.2).
            int end = opened.AsSpan().LastIndexOfAnyExcept((byte)0);
            if (end < 0) return false;
            type = opened[end];
            plaintext = opened.AsSpan(0, end).ToArray();
            return true;
        }

        public override void Dispose()
        {
            _gcm?.Dispose();
            _chacha?.Dispose();
        }
    }

    /// <summary>
    /// TLS 1.1/1.2 AES-CBC with an explicit IV per record and HMAC: MAC-then-encrypt, or
    /// encrypt-then-MAC when both hellos carried the extension (RFC 7366).
    /// </summary>
    private sealed class Cbc : RecordDecrypter
    {
        private const int Block = 16;

        private readonly Aes _aes;
        private readonly byte[] _macKey;
        private readonly HashAlgorithmName _mac;
        private readonly int _macLength;
        private readonly bool _encryptThenMac;

        public Cbc(TlsCipherSuite suite, RecordKeys keys, bool encryptThenMac)
        {
            _aes = Aes.Create();
            _aes.Key = keys.Key;
            _macKey = keys.MacKey;
            _mac = suite.Mac!.Value;
            _macLength = suite.MacLength;
            _encryptThenMac = encryptThenMac;
        }

        public override bool TryOpen(ReadOnlySpan<byte> header, ReadOnlySpan<byte> fragment, ref byte type, out byte[] plaintext)
        {
            plaintext = [];
            ulong sequence = Sequence++;
            Span<byte> pseudo = stackalloc byte[13];
            ReadOnlySpan<byte> encrypted = fragment;
            if (_encryptThenMac)
            {
                if (fragment.Length < _macLength) return false;
                encrypted = fragment[..^_macLength];
                Pseudoheader(pseudo, sequence, header, encrypted.Length);
                if (!MacMatches(pseudo, encrypted, fragment[^_macLength..])) return false;
            }
            if (encrypted.Length < 2 * Block || encrypted.Length % Block != 0) return false;
            byte[] opened = _aes.DecryptCbc(encrypted[Block..], encrypted[..Block], PaddingMode.None);

            int padding = opened[^1];
            int trailer = padding + 1 + (_encryptThenMac ? 0 : _macLength);
            if (trailer > opened.Length) return false;
            for (int i = opened.Length - padding - 1; i < opened.Length; i++)
                if (opened[i] != padding) return false;
            int contentLength = opened.Length - trailer;
            if (!_encryptThenMac)
            {
                Pseudoheader(pseudo, sequence, header, contentLength);
                if (!MacMatches(pseudo, opened.AsSpan(0, contentLength), opened.AsSpan(contentLength, _macLength))) return false;
            }
            plaintext = opened.AsSpan(0, contentLength).ToArray();
            return true;
        }

        private bool MacMatches(ReadOnlySpan<byte> pseudo, ReadOnlySpan<byte> data, ReadOnlySpan<byte> expected)
        {
            using var hmac = IncrementalHash.CreateHMAC(_mac, _macKey);
            hmac.AppendData(pseudo);
            hmac.AppendData(data);
            Span<byte> mac = stackalloc byte[64];
            int n = hmac.GetHashAndReset(mac);
            return CryptographicOperations.FixedTimeEquals(mac[..n], expected);
        }

        public override void Dispose() => _aes.Dispose();
    }
}
