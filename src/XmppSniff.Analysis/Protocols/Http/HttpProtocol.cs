using XmppSniff.Analysis.Flows;

namespace XmppSniff.Analysis.Protocols.Http;

/// <summary>
/// "http": HTTP/1.0 and 1.1. Recognised by a request line ("GET /x HTTP/1.1") from the client or a
/// status line ("HTTP/1.1 200") from the server on any port; the usual ports are asked first.
/// </summary>
public static class HttpProtocol
{
    /// <summary>A request line longer than this (the probe holds at most 4 KiB anyway) is not believed.</summary>
    private const int MaxProbeLine = 4000;

    public static ProtocolDescriptor Descriptor { get; } =
        new("http", new HashSet<ushort> { 80, 8080, 8000, 8008, 5280, 3128 }, Probe, Create);

    public static ProbeResult Probe(ReadOnlySpan<byte> client, ReadOnlySpan<byte> server)
    {
        if (!client.IsEmpty) return ProbeRequest(client);
        return server.IsEmpty ? ProbeResult.NeedMore : ProbeStatus(server);
    }

    /// <summary>"METHOD SP target SP HTTP/1.x" up to the end of the line.</summary>
    private static ProbeResult ProbeRequest(ReadOnlySpan<byte> data)
    {
        int sp = data[..Math.Min(data.Length, 13)].IndexOf((byte)' ');
        ReadOnlySpan<byte> method = sp < 0 ? data[..Math.Min(data.Length, 12)] : data[..sp];
        if (!KnownMethod(method, complete: sp >= 0)) return ProbeResult.No;
        if (sp < 0) return ProbeResult.NeedMore;
        int lf = data.IndexOf((byte)'\n');
        if (lf < 0) return data.Length > MaxProbeLine || data[sp..].ContainsAnyInRange((byte)0, (byte)8) ? ProbeResult.No : ProbeResult.NeedMore;
        ReadOnlySpan<byte> line = data[..lf].TrimEnd((byte)'\r');
        return new HttpHead().ParseRequestLine(line) ? ProbeResult.Yes : ProbeResult.No;
    }

    /// <summary>"HTTP/1.x NNN".</summary>
    private static ProbeResult ProbeStatus(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> prefix = "HTTP/1."u8;
        int n = Math.Min(data.Length, prefix.Length);
        if (!data[..n].SequenceEqual(prefix[..n])) return ProbeResult.No;
        if (data.Length < 12) return ProbeResult.NeedMore;
        bool ok = data[7] is (byte)'0' or (byte)'1' && data[8] == ' ' && HttpSyntax.IsDigits(data.Slice(9, 3));
        return ok ? ProbeResult.Yes : ProbeResult.No;
    }

    /// <summary>Whether the bytes are (or, while incomplete, could still become) a known method.</summary>
    private static bool KnownMethod(ReadOnlySpan<byte> text, bool complete)
    {
        foreach (string m in HttpSyntax.Methods)
        {
            if (complete ? text.Length != m.Length : text.Length > m.Length) continue;
            bool same = true;
            for (int i = 0; i < text.Length && same; i++) same = text[i] == m[i];
            if (same) return true;
        }
        return false;
    }

    private static IStreamAnalyzer Create(Flow flow) => new HttpAnalyzer(flow);
}
