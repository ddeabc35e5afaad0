using System.Text;

namespace XmppSniff.Analysis.Protocols.Tls.Decryption;

/// <summary>
/// Secrets from NSS key log files (the SSLKEYLOGFILE format): lines "LABEL CLIENT_RANDOM SECRET",
/// hex, keyed by the client hello's random. TLS 1.2 uses CLIENT_RANDOM (the 48-byte master
/// secret); TLS 1.3 the *_HANDSHAKE_TRAFFIC_SECRET and *_TRAFFIC_SECRET_0 lines. Other labels and
/// comments are skipped. Filled from a file or from pcapng Decryption Secrets Blocks (possibly by
/// the reading thread while the engine looks keys up), so access is locked. Secrets never leave
/// this class except to the decryptor.
/// </summary>
public sealed class TlsKeyLog
{
    public const string ClientRandom = "CLIENT_RANDOM";
    public const string ClientHandshake = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    public const string ServerHandshake = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    public const string ClientTraffic0 = "CLIENT_TRAFFIC_SECRET_0";
    public const string ServerTraffic0 = "SERVER_TRAFFIC_SECRET_0";

    private static readonly HashSet<string> Labels =
        [ClientRandom, ClientHandshake, ServerHandshake, ClientTraffic0, ServerTraffic0];

    private readonly Dictionary<(string Label, string Random), byte[]> _secrets = [];
    private readonly Lock _lock = new();

    // A key log that grows while we read (live capture: the client logs each new session's keys).
    private string? _followed;
    private long _followedTo;

    /// <summary>Number of secrets held.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _secrets.Count;
        }
    }

    /// <summary>Reads a key log file; returns how many secrets it added.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public int AddFile(string path) => Add(File.ReadAllText(path));

    /// <summary>
    /// Reads a key log file and keeps reading what is appended to it whenever a secret is missing:
    /// for a live capture, where clients log the keys of sessions that start after it.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public int Follow(string path)
    {
        using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)) { } // unreadable: say so now
        lock (_lock) _followed = path;
        return ReadAppended();
    }

    /// <summary>Adds the whole lines appended to the followed file since it was last read.</summary>
    private int ReadAppended()
    {
        string path;
        long from;
        lock (_lock)
        {
            if (_followed is null) return 0;
            (path, from) = (_followed, _followedTo);
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length <= from) return 0;
            file.Position = from;
            byte[] appended = new byte[file.Length - from];
            file.ReadExactly(appended);
            int end = Array.LastIndexOf(appended, (byte)'\n') + 1; // a line still being written waits
            lock (_lock) _followedTo = from + end;
            return Add(appended.AsSpan(0, end));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // the file went away or is locked: keep the secrets we have
        }
    }

    /// <summary>Adds the secrets of key log text (e.g. a pcapng DSB's payload); returns how many lines were secrets this class uses.</summary>
    public int Add(ReadOnlySpan<byte> utf8) => Add(Encoding.UTF8.GetString(utf8));

    public int Add(string text)
    {
        int added = 0;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || !Labels.Contains(parts[0]) || parts[1].Length != 64) continue;
            if (!TryHex(parts[1], out byte[]? random) || !TryHex(parts[2], out byte[]? secret) || secret.Length is < 16 or > 64) continue;
            lock (_lock) _secrets[(parts[0], Convert.ToHexString(random))] = secret;
            added++;
        }
        return added;
    }

    /// <summary>The secret logged under <paramref name="label"/> for the connection whose ClientHello carried <paramref name="clientRandom"/>.</summary>
    internal byte[]? Find(string label, ReadOnlySpan<byte> clientRandom)
    {
        string key = Convert.ToHexString(clientRandom);
        lock (_lock)
            if (_secrets.TryGetValue((label, key), out byte[]? secret)) return secret;
        if (ReadAppended() == 0) return null;
        lock (_lock) return _secrets.TryGetValue((label, key), out byte[]? secret) ? secret : null;
    }

    private static bool TryHex(string hex, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (hex.Length % 2 != 0) return false;
        try
        {
            bytes = Convert.FromHexString(hex);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
