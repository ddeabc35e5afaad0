using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppSniff.Analysis.Buffers;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Tls;

/// <summary>
/// Follows the TLS record layer of both directions and reads the handshake: the hellos and the
/// server's certificate. Given a key log, it also decrypts (TLS 1.2 and 1.3) and hands the
/// application data to a plaintext reader; without one, everything after the hellos is counted,
/// not read. Consumes whole records only.
/// </summary>
public sealed class TlsAnalyzer : IStreamAnalyzer
{
    /// <summary>Largest handshake message read (certificate chains run to tens of KiB).</summary>
    private const int MaxHandshakeMessage = 256 << 10;

    private readonly TlsHello _hello = new();
    private readonly Direction _client = new();
    private readonly Direction _server = new();
    private readonly TlsDecryption? _decryption;
    private readonly Func<ITlsPlaintextReader>? _newReader;
    private readonly TlsPlaintextTap? _tap;
    private readonly long _flow;
    private ITlsPlaintextReader? _reader;
    private string? _subject;

    /// <param name="keys">Secrets to decrypt with; null leaves the connection encrypted and silent about it.</param>
    /// <param name="reader">Makes the reader of the decrypted application data, on first need.</param>
    /// <param name="tap">Also sees the decrypted application data, with <paramref name="flow"/>'s id.</param>
    public TlsAnalyzer(TlsKeyLog? keys = null, Func<ITlsPlaintextReader>? reader = null, TlsPlaintextTap? tap = null, long flow = 0)
    {
        // An empty key log (e.g. a pcapng without decryption secrets) is no key log: say nothing about decryption.
        if (keys is { Count: > 0 }) _decryption = new TlsDecryption(keys);
        _newReader = reader;
        _tap = tap;
        _flow = flow;
    }

    public string? Violation { get; private set; }

    public int Consume(FlowSide from, ReadOnlySpan<byte> data, StreamPosition at)
    {
        Direction side = from == FlowSide.Client ? _client : _server;
        int used = 0;
        while (!side.LostSync && data.Length - used >= TlsRecord.HeaderLength)
        {
            ReadOnlySpan<byte> header = data.Slice(used, TlsRecord.HeaderLength);
            byte type = header[0];
            int length = (header[3] << 8) | header[4];
            if (type is < TlsRecord.ChangeCipherSpec or > 24 || header[1] != 3 || length > TlsRecord.MaxLength)
            {
                if (side.Records == 0) Violation = "not a TLS record";
                side.LostSync = true; // e.g. after a gap: record boundaries are unknown from here
                _decryption?.LostSync(from);
                Tell(from, at);
                return data.Length;
            }
            if (data.Length - used < TlsRecord.HeaderLength + length) break;
            Record(from, side, header, data.Slice(used + TlsRecord.HeaderLength, length), at);
            used += TlsRecord.HeaderLength + length;
        }
        return side.LostSync ? data.Length : used;
    }

    public void Gap(FlowSide from, long length)
    {
        (from == FlowSide.Client ? _client : _server).LostSync = true;
        if (_decryption is null) return;
        _decryption.Gap(from, length);
        Tell(from, new StreamPosition(0, 0));
        _reader?.OnGap(from, length);
    }

    public void End(FlowRecord record)
    {
        _client.Handshake.Clear();
        _server.Handshake.Clear();
        _reader?.End(record);
        _decryption?.Dispose();
    }

    public IReadOnlyDictionary<string, object?> Describe()
    {
        var details = new Dictionary<string, object?>
        {
            ["version"] = _hello.Negotiated is { } v ? TlsNames.Version(v) : null,
            ["cipher"] = _hello.Cipher is { } c ? TlsNames.Cipher(c) : null,
            ["sni"] = _hello.ServerName,
            ["alpn"] = _hello.Alpn,
            ["offered_alpn"] = _hello.OfferedAlpn.Count > 0 ? string.Join(",", _hello.OfferedAlpn) : null,
            ["offered_versions"] = _hello.OfferedVersions.Count > 0 ? string.Join(",", _hello.OfferedVersions.Select(TlsNames.Version)) : null,
            ["certificate_subject"] = _subject,
            ["records_c2s"] = _client.Records,
            ["records_s2c"] = _server.Records,
            ["encrypted_bytes_c2s"] = _client.EncryptedBytes,
            ["encrypted_bytes_s2c"] = _server.EncryptedBytes,
        };
        if (_decryption is not null)
        {
            details["decrypted"] = _decryption.OpenedRecords > 0 && !_decryption.Failed;
            details["decrypt_reason"] = _decryption.Reason ?? (_decryption.OpenedRecords == 0 ? "no encrypted records" : null);
            details["decrypted_bytes_c2s"] = _decryption.PlaintextBytes(FlowSide.Client);
            details["decrypted_bytes_s2c"] = _decryption.PlaintextBytes(FlowSide.Server);
            if (_reader?.Describe() is { } inner)
            {
                details["app"] = inner.App;
                details[inner.App] = inner.Details;
            }
        }
        return details;
    }

    private void Record(FlowSide from, Direction side, ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, StreamPosition at)
    {
        side.Records++;
        byte type = header[0];
        if (type == TlsRecord.ChangeCipherSpec)
        {
            side.Encrypted = true;
            _decryption?.ChangeCipherSpec(from);
            Tell(from, at);
            return;
        }
        if (_decryption is not null && _decryption.IsProtected(from, type))
        {
            side.EncryptedBytes += body.Length;
            byte inner = type;
            byte[]? plaintext = _decryption.Open(from, header, body, ref inner);
            Tell(from, at);
            if (plaintext is not null) Decrypted(from, side, inner, plaintext, at);
            return;
        }
        if (type == TlsRecord.ApplicationData || (side.Encrypted && type == TlsRecord.Handshake))
        {
            side.EncryptedBytes += body.Length;
            return;
        }
        if (type != TlsRecord.Handshake || side.HandshakeDone) return;
        Handshake(from, side.Handshake, body, ref side.HandshakeDone);
    }

    /// <summary>An opened record: application data goes to the reader, handshake messages are read for key changes.</summary>
    private void Decrypted(FlowSide from, Direction side, byte type, byte[] plaintext, StreamPosition at)
    {
        switch (type)
        {
            case TlsRecord.ApplicationData when plaintext.Length > 0:
                _decryption!.CountApplicationBytes(from, plaintext.Length);
                _reader ??= _newReader?.Invoke();
                _reader?.OnData(from, plaintext, at);
                _tap?.Invoke(_flow, from, plaintext, at);
                break;
            case TlsRecord.Handshake when _hello.IsTls13 && !side.DecryptedHandshakeDone: // TLS 1.2's is only Finished (or a renegotiation we do not follow)
                Handshake(from, side.DecryptedHandshake, plaintext, ref side.DecryptedHandshakeDone);
                break;
        }
    }

    /// <summary>Appends handshake bytes and reads each complete message.</summary>
    private void Handshake(FlowSide from, ByteQueue queue, ReadOnlySpan<byte> body, ref bool done)
    {
        queue.Append(body);
        while (queue.Length >= 4)
        {
            ReadOnlySpan<byte> pending = queue.Span;
            int length = (pending[1] << 16) | (pending[2] << 8) | pending[3];
            if (length > MaxHandshakeMessage)
            {
                done = true;
                queue.Clear();
                return;
            }
            if (pending.Length < 4 + length) return;
            Message(from, pending[0], pending.Slice(4, length));
            queue.Consume(4 + length);
        }
    }

    private void Message(FlowSide from, byte type, ReadOnlySpan<byte> body)
    {
        switch (type)
        {
            case TlsHandshake.ClientHello when from == FlowSide.Client && _hello.ClientRandom is null: // a second one (after a HelloRetryRequest) repeats the first
                _hello.ReadClientHello(body);
                if (_hello.ClientRandom is { } random) _decryption?.ClientHello(random);
                break;
            case TlsHandshake.ServerHello when from == FlowSide.Server:
                if (!_hello.ReadServerHello(body) || _hello.IsRetryRequest) break;
                _decryption?.ServerHello(_hello.ServerRandom!, _hello.Negotiated ?? 0, _hello.Cipher ?? 0, _hello.ServerEncryptThenMac);
                // From TLS 1.3's ServerHello on, the rest of the handshake is encrypted both ways.
                if (_hello.IsTls13) _client.HandshakeDone = _server.HandshakeDone = true;
                break;
            case TlsHandshake.Certificate when from == FlowSide.Server && _subject is null:
                _subject = FirstCertificateSubject(body, _hello.IsTls13);
                break;
            case TlsHandshake.Finished:
                _decryption?.Finished(from);
                break;
            case TlsHandshake.KeyUpdate:
                _decryption?.KeyUpdate(from);
                break;
        }
    }

    /// <summary>Passes on, once per flow, why decryption stopped or never started.</summary>
    private void Tell(FlowSide from, StreamPosition at)
    {
        if (_decryption is not { ReasonPending: true } d) return;
        d.ReasonPending = false;
        _reader ??= _newReader?.Invoke();
        _reader?.OnUndecryptable(from, d.Reason!, at);
    }

    /// <summary>
    /// The subject of the first certificate of a Certificate message, parsed by .NET's X.509 reader.
    /// TLS 1.3 puts a request context before the list (and extensions after each entry).
    /// </summary>
    private static string? FirstCertificateSubject(ReadOnlySpan<byte> body, bool tls13)
    {
        if (tls13)
        {
            if (body.Length < 1 || body.Length < 1 + body[0]) return null;
            body = body[(1 + body[0])..];
        }
        if (body.Length < 6) return null;
        int length = (body[3] << 16) | (body[4] << 8) | body[5];
        if (length <= 0 || body.Length < 6 + length) return null;
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(body.Slice(6, length));
            return certificate.Subject;
        }
        catch (CryptographicException)
        {
            return null; // a damaged certificate is still a TLS flow
        }
    }

    private sealed class Direction
    {
        public readonly ByteQueue Handshake = new();
        public readonly ByteQueue DecryptedHandshake = new();
        public long Records;
        public long EncryptedBytes;
        public bool Encrypted;
        public bool HandshakeDone;
        public bool DecryptedHandshakeDone;
        public bool LostSync;
    }
}
