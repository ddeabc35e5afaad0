using System.CommandLine;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Capture.Files;
using XmppSniff.Output;
using XmppSniff.Running;

namespace XmppSniff.Commands;

/// <summary>Arguments and options several commands share, defined once so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Argument<FileInfo> File() => new("FILE") { Description = "A pcap or pcapng capture file, gzip-compressed or not; - reads standard input." };

    /// <summary>The path to open for <paramref name="file"/>: its full path, or "-" (standard input) as it was typed.</summary>
    public static string CapturePath(FileInfo file) => file.ToString() == CaptureFile.StandardInput ? CaptureFile.StandardInput : file.FullName;

    /// <summary>For the commands that read a file (`capture` has its own, for live packets).</summary>
    public static readonly Option<long> Count = NotNegative(new Option<long>("--count", "-c")
    {
        Description = "Read only the first N packets of the file, as tshark -c; the flows still open then end as at the end of a file.",
    });

    /// <summary>
    /// The run over a file command's FILE, with its limits, `-c` and key log; <paramref name="analysisThreads"/> as
    /// <see cref="CaptureRun.AnalysisThreads"/>.
    /// </summary>
    public static CaptureRun FileRun(ParseResult result, Argument<FileInfo> file, TlsKeyLog keys, int analysisThreads) =>
        new(CapturePath(result.GetValue(file)!), Limits(result)) { MaxFrames = result.GetValue(Count), TlsKeys = keys, AnalysisThreads = analysisThreads };

    public static Option<T> NotNegative<T>(Option<T> option) where T : struct, System.Numerics.INumber<T>
    {
        option.Validators.Add(r => { if (r.GetValue(option) < T.Zero) r.AddError($"{option.Name} must not be negative."); });
        return option;
    }

    public static void Positive<T>(Option<T> option) where T : struct, System.Numerics.INumber<T> =>
        option.Validators.Add(r => { if (r.GetValue(option) <= T.Zero) r.AddError($"{option.Name} must be positive."); });

    public static Option<OutputFormat?> Format() => new("--format", "-F")
    {
        Description = "Output format: table (default on a terminal), jsonl (default otherwise) or csv.",
    };

    public static readonly Option<int> TcpTimeout = new("--tcp-timeout")
    {
        Description = "Seconds of capture time after which an idle TCP connection is ended.",
        DefaultValueFactory = _ => (int)new FlowLimits().TcpIdleTimeout.TotalSeconds,
    };

    public static readonly Option<int> UdpTimeout = new("--udp-timeout")
    {
        Description = "Seconds of capture time after which an idle UDP flow is ended.",
        DefaultValueFactory = _ => (int)new FlowLimits().UdpIdleTimeout.TotalSeconds,
    };

    public static readonly Option<int> MaxFlows = new("--max-flows")
    {
        Description = "Flows held in memory at once; past it the least recently active is ended early (counted in summary).",
        DefaultValueFactory = _ => new FlowLimits().MaxFlows,
    };

    public static readonly Option<int> MaxClosedFlows = new("--max-closed-flows")
    {
        Description = "Closed connections kept at once to collect their last packets; past it the one closed longest ago is ended (counted in summary).",
        DefaultValueFactory = _ => new FlowLimits().MaxClosedFlows,
    };

    public static readonly Option<long> MaxOutOfOrderBytes = new("--max-ooo-bytes")
    {
        Description = "Out-of-order bytes one connection may hold while waiting for a hole to fill.",
        DefaultValueFactory = _ => new FlowLimits().MaxOutOfOrderBytesPerFlow,
    };

    public static readonly Option<long> MaxBufferedBytes = new("--max-buffered-bytes")
    {
        Description = "Out-of-order bytes all connections together may hold.",
        DefaultValueFactory = _ => new FlowLimits().MaxBufferedBytes,
    };

    public static readonly Option<int> MaxElement = new("--max-element")
    {
        Description = "Largest element held whole, in bytes (at least 1024); a larger one is reported truncated (counted in summary).",
        DefaultValueFactory = _ => AnalyzerOutput.DefaultMaxElementBytes,
    };

    /// <summary>Deeper trees cost recursion when described and redacted; 10,000 levels stay far inside the stack.</summary>
    public const int MaxDepthCeiling = 10_000;

    public static readonly Option<int> MaxDepth = new("--max-depth")
    {
        Description = $"Deepest nesting of XML elements followed (2 to {MaxDepthCeiling}); a deeper element is skipped (counted in summary).",
        DefaultValueFactory = _ => AnalyzerOutput.DefaultMaxDepth,
    };

    /// <summary>Bounds on one element of a decoded protocol (XMPP): for commands that decode elements.</summary>
    public static void AddElementLimits(Command command)
    {
        command.Options.Add(MaxElement);
        command.Options.Add(MaxDepth);
    }

    public static AnalyzerOutput Output(ParseResult result, Action<object>? emit = null, bool showSecrets = false, TlsKeyLog? keys = null,
        Analysis.Protocols.Xmpp.ElementCopyPool? copies = null) =>
        new(emit, showSecrets, Math.Max(1024, result.GetValue(MaxElement)), Math.Clamp(result.GetValue(MaxDepth), 2, MaxDepthCeiling))
        {
            TlsKeys = keys, ElementCopies = copies,
        };

    public static readonly Option<FileInfo?> KeyLog = new("--keylog")
    {
        Description = "NSS key log file (SSLKEYLOGFILE) with the secrets to decrypt TLS 1.2/1.3 with; a pcapng's decryption secrets are used as well.",
    };

    /// <summary>
    /// The secrets to decrypt with: the --keylog file's, to which a pcapng's Decryption Secrets
    /// Blocks are added as the file is read. Empty (and so silent about decryption) without either.
    /// </summary>
    /// <exception cref="KeyLogException">The key log file cannot be read.</exception>
    public static TlsKeyLog KeyLogOf(ParseResult result, bool follow = false)
    {
        var keys = new TlsKeyLog();
        if (result.GetValue(KeyLog) is not { } file) return keys;
        try
        {
            if ((follow ? keys.Follow(file.FullName) : keys.AddFile(file.FullName)) == 0 && !follow)
                Console.Error.WriteLine($"xmppsniff: warning: {file.FullName}: no TLS secrets in this key log (expected lines such as CLIENT_RANDOM or CLIENT_TRAFFIC_SECRET_0)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyLogException($"{file.FullName}: cannot read the key log: {e.Message}");
        }
        return keys;
    }

    public static void AddLimits(Command command)
    {
        foreach (Option option in (Option[])[TcpTimeout, UdpTimeout, MaxFlows, MaxClosedFlows, MaxOutOfOrderBytes, MaxBufferedBytes])
            command.Options.Add(option);
    }

    public static FlowLimits Limits(ParseResult result) => new()
    {
        TcpIdleTimeout = TimeSpan.FromSeconds(result.GetValue(TcpTimeout)),
        UdpIdleTimeout = TimeSpan.FromSeconds(result.GetValue(UdpTimeout)),
        MaxFlows = result.GetValue(MaxFlows),
        MaxClosedFlows = result.GetValue(MaxClosedFlows),
        MaxOutOfOrderBytesPerFlow = result.GetValue(MaxOutOfOrderBytes),
        MaxBufferedBytes = result.GetValue(MaxBufferedBytes),
    };
}

/// <summary>A key log file that cannot be read: one line on stderr, exit 2.</summary>
internal sealed class KeyLogException(string message) : Exception(message);
