using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;
using XmppSniff.Running;
using Xunit;

namespace XmppSniff.Tests;

/// <summary>
/// The analysis lane moves the listener and the analyzers to a thread of their own: what they
/// produce must be exactly what a single-threaded run produces, in the same order.
/// </summary>
public sealed class AnalysisLaneTests
{
    public static TheoryData<string> Captures() =>
    [
        "xmpp-prosody-slixmpp.pcap",
        "xmpp-bosh.pcap",
        "xmpp-tls12-dsb.pcapng", // TLS keys read from the file on the reading thread, used on the lane
        "http-python-curl.pcap",
        "udp-datagrams.pcap",
        "real/tcp_reassembly_lost-segments.zeek.pcap", // gaps
        "real/tcp_retrans_out-of-order_http_range-download.zeek.pcap",
        "real/xmpp_c2s_plaintext_sasl_iq_presence_multi-session.ndpi.pcapng",
    ];

    [Theory]
    [MemberData(nameof(Captures))]
    public void Records_are_those_of_a_single_threaded_run_in_the_same_order(string capture)
    {
        var (direct, directThreads) = Run(capture, analysisThread: false);
        var (laned, lanedThreads) = Run(capture, analysisThread: true);

        Assert.NotEmpty(direct);
        Assert.Equal(direct, laned);
        Assert.Equal([Environment.CurrentManagedThreadId], directThreads);
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, lanedThreads);
    }

    [Fact]
    public void A_sink_that_throws_fails_the_run_with_its_exception_after_the_reading_ends()
    {
        var run = new CaptureRun(Path.Combine(Repo.Captures, "xmpp-prosody-slixmpp.pcap"), new FlowLimits()) { AnalysisThread = true };

        var e = Assert.Throws<InvalidOperationException>(() => run.Run(new ThrowingListener()));

        Assert.Equal("analyzer failed", e.Message);
    }

    [Fact]
    public void Each_flow_gets_back_its_own_sink_when_it_ends()
    {
        var listener = new SinkChecker();
        new CaptureRun(Path.Combine(Repo.Captures, "http-python-curl.pcap"), new FlowLimits()) { AnalysisThread = true }.Run(listener);

        Assert.True(listener.Ended > 0);
        Assert.Equal(0, listener.Wrong);
    }

    /// <summary>Every record as text (flow records and what analyzers emitted), and the threads that emitted them.</summary>
    private static (List<string> Records, HashSet<int> Threads) Run(string capture, bool analysisThread)
    {
        string path = Path.Combine(Repo.Captures, capture);
        var records = new List<string>();
        var threads = new HashSet<int>();
        var keys = new TlsKeyLog();
        var output = new AnalyzerOutput(r =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            records.Add(r.ToString()!);
        }) { TlsKeys = keys };
        var flows = new RecordingListener(records, threads);
        new CaptureRun(path, new FlowLimits()) { AnalysisThread = analysisThread, TlsKeys = keys }
            .Run(new AnalysisListener(flows, output: output));
        return (records, threads);
    }

    private sealed class RecordingListener(List<string> records, HashSet<int> threads) : IFlowListener
    {
        public void FlowStarted(Flow flow)
        {
        }

        public void FlowEnded(Flow flow, FlowRecord record)
        {
            threads.Add(Environment.CurrentManagedThreadId);
            string details = string.Join(";", record.Details?.Select(d => $"{d.Key}={System.Text.Json.JsonSerializer.Serialize(d.Value)}") ?? []);
            records.Add($"{record} {details}");
        }
    }

    private sealed class ThrowingListener : IFlowListener, IStreamSink
    {
        public void FlowStarted(Flow flow) => flow.Sink = this;

        public void FlowEnded(Flow flow, FlowRecord record)
        {
        }

        public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame) =>
            throw new InvalidOperationException("analyzer failed");

        public void OnGap(FlowSide from, long length)
        {
        }
    }

    private sealed class SinkChecker : IFlowListener
    {
        private readonly Dictionary<Flow, IStreamSink> _attached = [];

        public int Ended { get; private set; }

        public int Wrong { get; private set; }

        public void FlowStarted(Flow flow)
        {
            var sink = new NullSink();
            flow.Sink = sink;
            lock (_attached) _attached[flow] = sink;
        }

        public void FlowEnded(Flow flow, FlowRecord record)
        {
            Ended++;
            lock (_attached)
                if (!ReferenceEquals(flow.Sink, _attached[flow])) Wrong++;
        }
    }

    private sealed class NullSink : IStreamSink
    {
        public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame)
        {
        }

        public void OnGap(FlowSide from, long length)
        {
        }
    }
}
