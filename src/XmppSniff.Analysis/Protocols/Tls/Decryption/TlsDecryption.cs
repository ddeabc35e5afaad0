using XmppSniff.Core;

namespace XmppSniff.Analysis.Protocols.Tls.Decryption;

/// <summary>
/// The keys of one TLS connection over time: which secret protects each direction's next record,
/// from the hellos (randoms, version, suite, encrypt-then-MAC), ChangeCipherSpec (TLS 1.2),
/// Finished and KeyUpdate (TLS 1.3). Says once why it could not decrypt, and stops a direction
/// after a failure: nothing after a record it could not open is trusted.
/// </summary>
internal sealed class TlsDecryption(TlsKeyLog keys) : IDisposable
{
    private readonly Side _client = new("client");
    private readonly Side _server = new("server");
    private byte[]? _clientRandom;
    private byte[]? _serverRandom;
    private ushort _version;
    private TlsCipherSuite? _suite;
    private ushort _suiteId;
    private bool _encryptThenMac;
    private bool _tls12KeysMade;
    private RecordKeys? _client12, _server12;

    /// <summary>Why (some of) the connection was not decrypted; the first reason only.</summary>
    public string? Reason { get; private set; }

    /// <summary>Set when a reason appears, cleared by whoever reports it (once per flow).</summary>
    public bool ReasonPending { get; set; }

    /// <summary>A record failed authentication: the flow counts as not decrypted.</summary>
    public bool Failed { get; private set; }

    public long OpenedRecords => _client.Opened + _server.Opened;

    public long PlaintextBytes(FlowSide side) => Of(side).ApplicationBytes;

    public void CountApplicationBytes(FlowSide side, int n) => Of(side).ApplicationBytes += n;

    public void ClientHello(ReadOnlySpan<byte> random) => _clientRandom ??= random.ToArray();

    public void ServerHello(ReadOnlySpan<byte> random, ushort version, ushort suite, bool encryptThenMac)
    {
        _serverRandom = random.ToArray();
        _version = version;
        _suiteId = suite;
        _suite = TlsCipherSuite.Find(suite);
        _encryptThenMac = encryptThenMac && _suite is { IsAead: false };
        if (version == 0x0304)
        {
            // From here on every record of type 23 is protected by the handshake secrets.
            _client.Pending13 = TlsKeyLog.ClientHandshake;
            _server.Pending13 = TlsKeyLog.ServerHandshake;
        }
    }

    /// <summary>TLS 1.2: a ChangeCipherSpec from <paramref name="side"/>: its next records use its keys, from sequence 0.</summary>
    public void ChangeCipherSpec(FlowSide side)
    {
        if (_version == 0x0304) return; // TLS 1.3's compatibility CCS means nothing
        Side s = Of(side);
        if (s.Stopped) return;
        if (!Usable12())
        {
            s.Stopped = true; // what follows is encrypted and stays so
            return;
        }
        s.Replace(RecordDecrypter.Tls12(_suite!, side == FlowSide.Client ? _client12! : _server12!, _encryptThenMac));
    }

    /// <summary>TLS 1.3: <paramref name="side"/> sent its Finished; its next records use application traffic secret 0.</summary>
    public void Finished(FlowSide side)
    {
        if (_version != 0x0304) return;
        Of(side).Pending13 = side == FlowSide.Client ? TlsKeyLog.ClientTraffic0 : TlsKeyLog.ServerTraffic0;
    }

    /// <summary>TLS 1.3: <paramref name="side"/> sent a KeyUpdate; its next records use the next secret.</summary>
    public void KeyUpdate(FlowSide side)
    {
        Side s = Of(side);
        if (_version != 0x0304 || s.Secret13 is null || s.Stopped) return;
        s.Secret13 = TlsKeyDerivation.NextSecret13(_suite!, s.Secret13);
        s.Replace(RecordDecrypter.Tls13(_suite!, TlsKeyDerivation.TrafficKeys13(_suite!, s.Secret13)));
    }

    /// <summary>
    /// Whether a record from <paramref name="side"/> of outer type <paramref name="type"/> is
    /// protected (and so must be opened before it means anything).
    /// </summary>
    public bool IsProtected(FlowSide side, byte type)
    {
        Side s = Of(side);
        if (_version == 0x0304) return type == TlsRecord.ApplicationData && (s.Pending13 is not null || s.Current is not null || s.Stopped);
        return type != TlsRecord.ChangeCipherSpec && (s.Current is not null || s.Stopped);
    }

    /// <summary>Opens a protected record; null when it cannot (the reason is recorded once).</summary>
    public byte[]? Open(FlowSide side, ReadOnlySpan<byte> header, ReadOnlySpan<byte> fragment, ref byte type)
    {
        Side s = Of(side);
        if (s.Stopped) return null;
        if (_version == 0x0304 && s.Pending13 is { } label)
        {
            s.Pending13 = null;
            if (!Usable13(label, out byte[]? secret))
            {
                s.Stopped = true;
                return null;
            }
            s.Secret13 = secret;
            s.Replace(RecordDecrypter.Tls13(_suite!, TlsKeyDerivation.TrafficKeys13(_suite!, secret)));
        }
        if (s.Current is null)
        {
            s.Stopped = true;
            Report(_version is not (0x0303 or 0x0304) && _version != 0 ? $"{TlsNames.Version(_version)} is not decrypted (TLS 1.2 and 1.3 are)" : "the handshake that set the keys was not seen");
            return null;
        }
        ulong number = s.Current.Sequence;
        if (!s.Current.TryOpen(header, fragment, ref type, out byte[] plaintext))
        {
            s.Stopped = true;
            Failed = true;
            Report($"record {number} of the {s.Name}'s keys failed authentication (wrong key or damaged record); the {s.Name}'s data stays encrypted from there");
            return null;
        }
        s.Opened++;
        return plaintext;
    }

    /// <summary>Bytes of <paramref name="side"/>'s stream were lost: record boundaries and sequence numbers are unknown from here.</summary>
    public void Gap(FlowSide side, long length)
    {
        Side s = Of(side);
        if (s.Stopped) return;
        s.Stopped = true;
        if (s.Current is not null || s.Pending13 is not null) Report($"{length} bytes of the {s.Name}'s stream were not captured; decryption of that direction stopped there");
    }

    /// <summary>Bytes of <paramref name="side"/>'s stream are not TLS records: nothing after them can be opened.</summary>
    public void LostSync(FlowSide side)
    {
        Side s = Of(side);
        if (s.Stopped) return;
        s.Stopped = true;
        if (s.Current is not null || s.Pending13 is not null) Report($"the {s.Name}'s stream stopped looking like TLS records; decryption of that direction stopped there");
    }

    public void Dispose()
    {
        _client.Replace(null);
        _server.Replace(null);
    }

    private bool Usable12()
    {
        if (_tls12KeysMade) return _client12 is not null;
        _tls12KeysMade = true;
        if (_version is not 0x0303)
        {
            Report(_version == 0 ? "the ServerHello was not seen" : $"{TlsNames.Version(_version)} is not decrypted (TLS 1.2 and 1.3 are)");
            return false;
        }
        if (!Common()) return false;
        byte[]? master = keys.Find(TlsKeyLog.ClientRandom, _clientRandom);
        if (master is null || master.Length != 48)
        {
            Report("no CLIENT_RANDOM line in the key log for this connection's client random");
            return false;
        }
        (_client12, _server12) = TlsKeyDerivation.KeyBlock12(_suite!, master, _clientRandom, _serverRandom!);
        return true;
    }

    private bool Usable13(string label, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? secret)
    {
        secret = null;
        if (!Common()) return false;
        secret = keys.Find(label, _clientRandom);
        if (secret is null || secret.Length != TlsCipherSuite.HashLength(_suite!.Prf))
        {
            Report($"no {label} line in the key log for this connection's client random");
            secret = null;
            return false;
        }
        return true;
    }

    /// <summary>What both versions need before a key can be looked up: the client random and a suite we can decrypt.</summary>
    private bool Common()
    {
        if (_clientRandom is null)
        {
            Report("the ClientHello was not seen (the capture started mid-connection), so no key can be found");
            return false;
        }
        if (_suite is null)
        {
            Report($"cipher suite {TlsNames.Cipher(_suiteId)} is not supported for decryption");
            return false;
        }
        return true;
    }

    private void Report(string reason)
    {
        if (Reason is not null) return;
        Reason = reason;
        ReasonPending = true;
    }

    private Side Of(FlowSide side) => side == FlowSide.Client ? _client : _server;

    private sealed class Side(string name)
    {
        public readonly string Name = name;
        public RecordDecrypter? Current;
        public string? Pending13;
        public byte[]? Secret13;
        public bool Stopped;
        public long Opened;
        public long ApplicationBytes;

        public void Replace(RecordDecrypter? next)
        {
            Current?.Dispose();
            Current = next;
        }
    }
}
