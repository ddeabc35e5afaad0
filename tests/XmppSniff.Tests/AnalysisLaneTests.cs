using System.Buffers.Binary;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Capture;
using XmppSniff.Capture.Files;
using XmppSniff.Core;
using XmppSniff.Running;
using Xunit;

namespace XmppSniff.Tests;

/// <summary>
/// The analysis lane moves the listener and the analyzers to threads of their own: what they
/// produce must be exactly what a single-threaded run produces, in the same order.
/// </summary>
public sealed class AnalysisLaneTests : TempFiles
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
        var (direct, directThreads) = Run(Path.Combine(Repo.Captures, capture), analysisThreads: 0);
        var (laned, lanedThreads) = Run(Path.Combine(Repo.Captures, capture), analysisThreads: 1);

        Assert.NotEmpty(direct);
        Assert.Equal(direct, laned);
        Assert.Equal([Environment.CurrentManagedThreadId], directThreads);
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, lanedThreads);
    }

    // Not xmpp-bosh.pcap: its copies share the BOSH session id, so one thread would join them into one session.
    public static TheoryData<string> ManyClients() =>
        ["xmpp-prosody-slixmpp.pcap", "http-python-curl.pcap", "udp-datagrams.pcap", "echo-modes.pcap"];

    [Theory]
    [MemberData(nameof(ManyClients))]
    public void Several_analysing_threads_give_the_records_of_one_in_the_same_order(string capture)
    {
        string path = Replicate(capture, copies: 8);

        var (direct, _) = Run(path, analysisThreads: 0);
        var (two, _) = Run(path, analysisThreads: 2);
        var (three, _) = Run(path, analysisThreads: 3);

        Assert.NotEmpty(direct);
        Assert.Equal(direct, two);
        Assert.Equal(direct, three);
    }

    [Fact]
    public void Each_flow_is_analysed_on_one_thread_and_records_are_handed_on_one_at_a_time()
    {
        var listener = new ThreadRecorder(new AnalysisListener(new NoFlowListener()));
        new CaptureRun(Replicate("xmpp-prosody-slixmpp.pcap", copies: 8), new FlowLimits()) { AnalysisThreads = 2 }.Run(listener);

        Assert.Equal(2 * 8, listener.DataThreads.Count);
        Assert.All(listener.DataThreads.Values, threads => Assert.Single(threads));
        Assert.Equal(2, listener.DataThreads.Values.SelectMany(t => t).Distinct().Count());
        Assert.Equal(2 * 8, listener.HandedOn);
        Assert.Equal(0, listener.Overlapping);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_sink_that_throws_fails_the_run_with_its_exception_after_the_reading_ends(int threads)
    {
        var run = new CaptureRun(Replicate("xmpp-prosody-slixmpp.pcap", copies: 4), new FlowLimits()) { AnalysisThreads = threads };

        var e = Assert.Throws<InvalidOperationException>(() => run.Run(new ThrowingListener()));

        Assert.Equal("analyzer failed", e.Message);
    }

    [Fact]
    public void Each_flow_gets_back_its_own_sink_when_it_ends()
    {
        var listener = new SinkChecker();
        new CaptureRun(Path.Combine(Repo.Captures, "http-python-curl.pcap"), new FlowLimits()) { AnalysisThreads = 1 }.Run(listener);

        Assert.True(listener.Ended > 0);
        Assert.Equal(0, listener.Wrong);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Bytes_of_the_mapped_file_reach_the_analyzers_in_place_and_are_given_back_only_after(int threads)
    {
        var reader = new WatchedReader(CaptureFile.Open(Replicate("xmpp-prosody-slixmpp.pcap", copies: 40)));
        var listener = new PlaceChecker(reader);
        new CaptureRun(() => reader, new FlowLimits()) { AnalysisThreads = threads }.Run(listener);

        Assert.True(listener.InPlace > 100);
        Assert.True(reader.Given > 2);
        Assert.Equal(0, listener.AfterGivenBack);
    }

    /// <summary>Every record as text (flow records and what analyzers emitted), and the threads that emitted them.</summary>
    private static (List<string> Records, HashSet<int> Threads) Run(string path, int analysisThreads)
    {
        var records = new List<string>();
        var threads = new HashSet<int>();
        var keys = new TlsKeyLog();
        var output = new AnalyzerOutput(r =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            records.Add(r.ToString()!);
        }) { TlsKeys = keys };
        var flows = new RecordingListener(records, threads);
        new CaptureRun(path, new FlowLimits()) { AnalysisThreads = analysisThreads, TlsKeys = keys }
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

    /// <summary>
    /// <paramref name="copies"/> copies of a shipped Ethernet/IPv4 capture, each with its own client
    /// address (10.0.0.k for the side with the higher port), a millisecond apart and interleaved in time.
    /// </summary>
    private string Replicate(string capture, int copies)
    {
        var frames = new List<(long Time, byte[] Data)>();
        using (ICaptureReader reader = CaptureFile.Open(Path.Combine(Repo.Captures, capture)))
            while (reader.TryRead(out RawFrame frame))
            {
                Assert.Equal(LinkType.Ethernet, frame.LinkType);
                for (int k = 0; k < copies; k++)
                {
                    byte[] data = frame.Data.ToArray();
                    Span<byte> ip = data.AsSpan(14);
                    int ports = (ip[0] & 0xF) * 4;
                    bool sourceIsClient = BinaryPrimitives.ReadUInt16BigEndian(ip[ports..]) > BinaryPrimitives.ReadUInt16BigEndian(ip[(ports + 2)..]);
                    BinaryPrimitives.WriteUInt32BigEndian(ip[(sourceIsClient ? 12 : 16)..], CaptureBuilder.Ip(10, 0, 0, (byte)(k + 1)));
                    frames.Add((frame.Time + k * 1_000_000L, data));
                }
            }
        return WriteCapture($"{copies}x-{capture}", builder =>
        {
            foreach (var (time, data) in frames.OrderBy(f => f.Time)) builder.Frame(time, data);
        });
    }

    /// <summary>Notes the threads each flow's bytes arrive on, and hand-ons that overlap another.</summary>
    private sealed class ThreadRecorder(IParallelFlowListener inner) : IParallelFlowListener
    {
        private int _handingOn;
        private int _handedOn;
        private int _overlapping;

        public Dictionary<long, HashSet<int>> DataThreads { get; } = [];

        public int HandedOn => _handedOn;

        public int Overlapping => _overlapping;

        public AnalyzerOutput Output => inner.Output;

        public void FlowStarted(Flow flow)
        {
            inner.FlowStarted(flow);
            HashSet<int> threads;
            lock (DataThreads) DataThreads[flow.Id] = threads = [];
            flow.Sink = new Recording(flow.Sink!, threads);
        }

        public void FlowEnded(Flow flow, FlowRecord record) => HandOn(flow, Finish(flow, record));

        public FlowRecord Finish(Flow flow, FlowRecord record)
        {
            flow.Sink = ((Recording)flow.Sink!).Inner;
            return inner.Finish(flow, record);
        }

        public void HandOn(Flow flow, FlowRecord record)
        {
            if (Interlocked.Increment(ref _handingOn) != 1) Interlocked.Increment(ref _overlapping);
            Interlocked.Increment(ref _handedOn);
            Thread.Sleep(1); // long enough for another thread's hand-on to overlap, were that possible
            inner.HandOn(flow, record);
            Interlocked.Decrement(ref _handingOn);
        }

        private sealed class Recording(IStreamSink sink, HashSet<int> threads) : IStreamSink
        {
            public IStreamSink Inner => sink;

            public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame)
            {
                lock (threads) threads.Add(Environment.CurrentManagedThreadId);
                sink.OnData(from, data, time, frame);
            }

            public void OnGap(FlowSide from, long length) => sink.OnGap(from, length);
        }
    }

    private sealed class ThrowingListener : IParallelFlowListener, IStreamSink
    {
        public AnalyzerOutput Output { get; } = new();

        public void FlowStarted(Flow flow) => flow.Sink = this;

        public void FlowEnded(Flow flow, FlowRecord record)
        {
        }

        public FlowRecord Finish(Flow flow, FlowRecord record) => record;

        public void HandOn(Flow flow, FlowRecord record)
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

    /// <summary>A classic pcap reader that notes, as an address, the start of what the pipeline said it is done with.</summary>
    private sealed unsafe class WatchedReader(ICaptureReader inner) : ICaptureReader
    {
        private const int RecordHeader = 16;
        private long _base;
        private long _doneBefore;

        public int Given { get; private set; }

        public long DoneBefore => Volatile.Read(ref _doneBefore);

        public string Path => inner.Path;
        public CaptureFormat Format => inner.Format;
        public IReadOnlyList<CaptureInterface> Interfaces => inner.Interfaces;
        public IReadOnlyList<string> Comments => inner.Comments;
        public IReadOnlyList<string> Warnings => inner.Warnings;
        public bool Truncated => inner.Truncated;
        public long Position => inner.Position;
        public long Length => inner.Length;

        public bool TryRead(out RawFrame frame)
        {
            long before = inner.Position;
            if (!inner.TryRead(out frame)) return false;
            if (_base == 0) _base = Address(frame.Data) - before - RecordHeader;
            return true;
        }

        public KeptBytes Kept => inner.Kept;

        public void ConsumedBefore(long position)
        {
            Given++;
            Volatile.Write(ref _doneBefore, _base + position);
            inner.ConsumedBefore(position);
        }

        public void Dispose() => inner.Dispose();

        public static long Address(ReadOnlySpan<byte> bytes) => (long)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(bytes));
    }

    /// <summary>Counts bytes that reach a sink in place in the mapped file, and those that come after the reader was told it may give them back.</summary>
    private sealed class PlaceChecker(WatchedReader reader) : IFlowListener, IStreamSink
    {
        private int _inPlace, _afterGivenBack;

        public int InPlace => _inPlace;

        public int AfterGivenBack => _afterGivenBack;

        public void FlowStarted(Flow flow) => flow.Sink = this;

        public void FlowEnded(Flow flow, FlowRecord record)
        {
        }

        public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame)
        {
            if (!reader.Kept.Contain(data)) return;
            Interlocked.Increment(ref _inPlace);
            if (WatchedReader.Address(data) < reader.DoneBefore) Interlocked.Increment(ref _afterGivenBack);
        }

        public void OnGap(FlowSide from, long length)
        {
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
