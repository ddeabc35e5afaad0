using System.Buffers.Binary;
using System.Text;

namespace XmppSniff.Analysis.Protocols.Tls;

/// <summary>What the hellos say: names, versions, the suite and the protocols offered and chosen.</summary>
internal sealed class TlsHello
{
    public string? ServerName;
    public List<string> OfferedAlpn = [];
    public List<ushort> OfferedVersions = [];
    public ushort ClientVersion;
    public ushort? ServerVersion;
    public ushort? Cipher;
    public string? Alpn;
    public byte[]? ClientRandom;
    public byte[]? ServerRandom;

    /// <summary>Both hellos carried encrypt_then_mac (RFC 7366): CBC records are MACed after encryption.</summary>
    public bool ClientOffersEncryptThenMac, ServerEncryptThenMac;

    /// <summary>The ServerHello was a HelloRetryRequest (RFC 8446 §4.1.3): a second ClientHello and ServerHello follow.</summary>
    public bool IsRetryRequest;

    /// <summary>SHA-256("HelloRetryRequest"), the random a HelloRetryRequest carries.</summary>
    private static ReadOnlySpan<byte> RetryRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];

    /// <summary>The negotiated version: supported_versions (TLS 1.3) overrides the legacy field.</summary>
    public ushort? Negotiated => ServerVersion;

    public bool IsTls13 => ServerVersion == 0x0304;

    /// <summary>Reads a ClientHello body; false if it is malformed.</summary>
    public bool ReadClientHello(ReadOnlySpan<byte> body)
    {
        var r = new Reader(body);
        if (!r.U16(out ClientVersion) || !r.Take(32, out ReadOnlySpan<byte> random) || !r.Vector8(out _) || !r.Vector16(out _) || !r.Vector8(out _)) return false;
        ClientRandom ??= random.ToArray(); // a second ClientHello (after a HelloRetryRequest) keeps the first random
        if (r.AtEnd) return true;
        if (!r.Vector16(out ReadOnlySpan<byte> extensions)) return false;
        for (var e = new Reader(extensions); !e.AtEnd;)
        {
            if (!e.U16(out ushort type) || !e.Vector16(out ReadOnlySpan<byte> data)) return false;
            var d = new Reader(data);
            switch (type)
            {
                case 0: // server_name: a list of (type, name); type 0 is a host name
                    if (d.Vector16(out ReadOnlySpan<byte> names))
                        for (var n = new Reader(names); !n.AtEnd;)
                            if (n.U8(out byte kind) && n.Vector16(out ReadOnlySpan<byte> name) && kind == 0) ServerName ??= Encoding.ASCII.GetString(name);
                            else break;
                    break;
                case 16: // application_layer_protocol_negotiation
                    if (d.Vector16(out ReadOnlySpan<byte> protocols))
                        for (var p = new Reader(protocols); p.Vector8(out ReadOnlySpan<byte> protocol);)
                            OfferedAlpn.Add(Encoding.ASCII.GetString(protocol));
                    break;
                case 22: // encrypt_then_mac
                    ClientOffersEncryptThenMac = true;
                    break;
                case 43: // supported_versions
                    if (d.Vector8(out ReadOnlySpan<byte> versions))
                        for (int i = 0; i + 1 < versions.Length; i += 2)
                        {
                            ushort v = BinaryPrimitives.ReadUInt16BigEndian(versions[i..]);
                            if (!TlsNames.IsGrease(v)) OfferedVersions.Add(v);
                        }
                    break;
            }
        }
        return true;
    }

    /// <summary>Reads a ServerHello body; false if it is malformed.</summary>
    public bool ReadServerHello(ReadOnlySpan<byte> body)
    {
        var r = new Reader(body);
        if (!r.U16(out ushort legacy) || !r.Take(32, out ReadOnlySpan<byte> random) || !r.Vector8(out _) || !r.U16(out ushort cipher) || !r.Skip(1)) return false;
        ServerRandom = random.ToArray();
        IsRetryRequest = random.SequenceEqual(RetryRandom);
        ServerVersion = legacy;
        Cipher = cipher;
        if (r.AtEnd || !r.Vector16(out ReadOnlySpan<byte> extensions)) return true;
        for (var e = new Reader(extensions); !e.AtEnd;)
        {
            if (!e.U16(out ushort type) || !e.Vector16(out ReadOnlySpan<byte> data)) return false;
            var d = new Reader(data);
            if (type == 43 && d.U16(out ushort selected)) ServerVersion = selected;
            if (type == 22) ServerEncryptThenMac = ClientOffersEncryptThenMac;
            if (type == 16 && d.Vector16(out ReadOnlySpan<byte> list) && new Reader(list).Vector8(out ReadOnlySpan<byte> chosen))
                Alpn = Encoding.ASCII.GetString(chosen);
        }
        return true;
    }

    /// <summary>A bounds-checked cursor over TLS's length-prefixed vectors.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool U8(out byte value)
        {
            value = 0;
            if (_rest.Length < 1) return false;
            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool U16(out ushort value)
        {
            value = 0;
            if (_rest.Length < 2) return false;
            value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            _rest = _rest[2..];
            return true;
        }

        public bool Skip(int count)
        {
            if (_rest.Length < count) return false;
            _rest = _rest[count..];
            return true;
        }

        public bool Vector8(out ReadOnlySpan<byte> value) => U8(out byte n) ? Take(n, out value) : Fail(out value);

        public bool Vector16(out ReadOnlySpan<byte> value) => U16(out ushort n) ? Take(n, out value) : Fail(out value);

        public bool Take(int count, out ReadOnlySpan<byte> value)
        {
            if (_rest.Length < count) return Fail(out value);
            value = _rest[..count];
            _rest = _rest[count..];
            return true;
        }

        private static bool Fail(out ReadOnlySpan<byte> value)
        {
            value = default;
            return false;
        }
    }
}
