using XmppSniff.Analysis.Buffers;

namespace XmppSniff.Analysis.Protocols.Bosh;

/// <summary>The request and response bodies of one BOSH exchange, bounded.</summary>
internal sealed class BoshBodies
{
    /// <summary>A BOSH body larger than this is not kept (XEP-0124 bodies are small; this is a bound, not a norm).</summary>
    public const int MaxBody = 1 << 20;

    public readonly ByteQueue Request = new();
    public readonly ByteQueue Response = new();

    /// <summary>Where the request's last bytes were (time and frame), known when its response begins.</summary>
    public StreamPosition RequestAt;

    /// <summary>A request to a BOSH endpoint: XML posted to a path that names it (/http-bind, /bosh).</summary>
    public static bool IsBoshRequest(string? method, string? target, string? contentType) =>
        method == "POST" && target is not null
        && (target.Contains("http-bind", StringComparison.OrdinalIgnoreCase) || target.Contains("bosh", StringComparison.OrdinalIgnoreCase)
            || contentType?.Contains("xml", StringComparison.OrdinalIgnoreCase) == true);

    public static void Append(ByteQueue body, ReadOnlySpan<byte> data)
    {
        if (body.Length + data.Length <= MaxBody) body.Append(data);
    }
}
