using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppSniff.Analysis.Buffers;
using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Tls;

/// <summary>
/// Follows the TLS record layer of both directions and reads the plaintext handshake: the
/// hellos and, before TLS 1.3, the server's certificate. Everything after is counted, not read
/// (decryption is a later feature). Consumes whole records only.
/// </summary>
public sealed class TlsAnalyzer : IStreamAnalyzer
{
    /// <summary>Largest handshake message read (certificate chains run to tens of KiB).</summary>
    private const int MaxHandshakeMessage = 256 << 10;

    private readonly TlsHello _hello = new();
    private readonly Direction _client = new();
    private readonly Direction _server = new();
    private string? _subject;

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
                return data.Length;
            }
            if (data.Length - used < TlsRecord.HeaderLength + length) break;
            Record(from, side, type, data.Slice(used + TlsRecord.HeaderLength, length));
            used += TlsRecord.HeaderLength + length;
        }
        return side.LostSync ? data.Length : used;
    }

    public void Gap(FlowSide from, long length) => (from == FlowSide.Client ? _client : _server).LostSync = true;

    public void End(FlowRecord record)
    {
        _client.Handshake.Clear();
        _server.Handshake.Clear();
    }

    public IReadOnlyDictionary<string, object?> Describe() => new Dictionary<string, object?>
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

    private void Record(FlowSide from, Direction side, byte type, ReadOnlySpan<byte> body)
    {
        side.Records++;
        if (type == TlsRecord.ChangeCipherSpec)
        {
            side.Encrypted = true;
            return;
        }
        if (type == TlsRecord.ApplicationData || (side.Encrypted && type == TlsRecord.Handshake))
        {
            side.EncryptedBytes += body.Length;
            return;
        }
        if (type != TlsRecord.Handshake || side.HandshakeDone) return;

        side.Handshake.Append(body);
        while (side.Handshake.Length >= 4)
        {
            ReadOnlySpan<byte> pending = side.Handshake.Span;
            int length = (pending[1] << 16) | (pending[2] << 8) | pending[3];
            if (length > MaxHandshakeMessage)
            {
                side.HandshakeDone = true;
                side.Handshake.Clear();
                return;
            }
            if (pending.Length < 4 + length) return;
            Message(from, side, pending[0], pending.Slice(4, length));
            side.Handshake.Consume(4 + length);
        }
    }

    private void Message(FlowSide from, Direction side, byte type, ReadOnlySpan<byte> body)
    {
        switch (type)
        {
            case TlsHandshake.ClientHello when from == FlowSide.Client:
                _hello.ReadClientHello(body);
                break;
            case TlsHandshake.ServerHello when from == FlowSide.Server:
                _hello.ReadServerHello(body);
                // From TLS 1.3's ServerHello on, the rest of the handshake is encrypted both ways.
                if (_hello.IsTls13) _client.HandshakeDone = _server.HandshakeDone = true;
                break;
            case TlsHandshake.Certificate when from == FlowSide.Server && _subject is null:
                _subject = FirstCertificateSubject(body);
                break;
        }
    }

    /// <summary>The subject of the first certificate of a TLS 1.2 Certificate message, parsed by .NET's X.509 reader.</summary>
    private static string? FirstCertificateSubject(ReadOnlySpan<byte> body)
    {
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
        public long Records;
        public long EncryptedBytes;
        public bool Encrypted;
        public bool HandshakeDone;
        public bool LostSync;
    }
}
