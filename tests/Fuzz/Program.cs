using XmppSniff.Analysis.Detection;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols;
using XmppSniff.Analysis.Protocols.Xmpp;
using XmppSniff.Capture;
using XmppSniff.Capture.Decode;
using XmppSniff.Capture.Files;
using XmppSniff.Core;

namespace XmppSniff.Fuzz;

/// <summary>
/// SharpFuzz targets for AFL++ (see README.md). Each reads one input and must neither throw
/// (other than the documented CaptureFileException) nor break an invariant; a broken invariant
/// throws, which AFL++ records as a crash.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: xmppsniff-fuzz xmpp|stream|capture [FILE]  (no FILE: run under afl-fuzz)");
            return 1;
        }
        Action<byte[]> target = args[0] switch
        {
            "xmpp" => Xmpp,
            "stream" => Stream,
            "capture" => Capture,
            _ => throw new ArgumentException("unknown target " + args[0]),
        };
        if (args.Length > 1)
        {
            target(File.ReadAllBytes(args[1])); // reproduce one input without AFL
            return 0;
        }
        SharpFuzz.Fuzzer.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target(copy.ToArray());
        });
        return 0;
    }

    /// <summary>The XMPP analyzer alone: the first byte picks the chunk size; both directions; a small element bound.</summary>
    private static void Xmpp(byte[] input)
    {
        if (input.Length == 0) return;
        int chunk = 1 + input[0] % 64;
        var options = new XmppOptions { MaxElementBytes = 1024, MaxDepth = 16, Counters = new ElementLimitCounters() };
        var analyzer = new XmppAnalyzer(1, new Endpoint(Address.Parse("10.0.0.1"), 40000), new Endpoint(Address.Parse("10.0.0.2"), 5222), _ => { }, options);
        var held = new List<byte>[] { [], [] };
        for (int at = 1; at < input.Length; at += chunk)
        {
            ReadOnlySpan<byte> piece = input.AsSpan(at, Math.Min(chunk, input.Length - at));
            int side = piece[0] & 1; // the first byte of each piece says who sends it
            held[side].AddRange(piece.ToArray());
            byte[] offer = held[side].ToArray();
            int used = analyzer.Consume((FlowSide)side, offer, new StreamPosition(at, at));
            if (used < 0 || used > offer.Length) throw new InvalidOperationException($"consumed {used} of {offer.Length}");
            held[side].RemoveRange(0, used);
            if (held[side].Count > options.MaxElementBytes + chunk) throw new InvalidOperationException($"held {held[side].Count} bytes");
            if (piece[0] == 0xFF) analyzer.Gap((FlowSide)side, 10);
        }
        analyzer.End(new FlowRecord
        {
            Id = 1, Protocol = IpProtocol.Tcp, Client = default, Server = default, Start = 0, End = 0,
            State = "SF", History = "", Kind = FlowKind.Long, Close = CloseKind.Fin,
        });
    }

    private static readonly ushort[] Ports = [5222, 80, 443, 53, 3478, 5280, 7, 5269];

    /// <summary>
    /// Detection and every analyzer through the flow table: the input is a TCP (or UDP) conversation.
    /// Byte 0: server port and transport; then records of [flags][length][bytes]: direction,
    /// a sequence jump (holes, overlaps, retransmissions) and the payload.
    /// </summary>
    private static void Stream(byte[] input)
    {
        if (input.Length < 1) return;
        ushort port = Ports[input[0] % Ports.Length];
        bool udp = (input[0] & 0x80) != 0;
        var output = new AnalyzerOutput(_ => { }, showSecrets: false, maxElementBytes: 2048, maxDepth: 16);
        var table = new FlowTable(new Listener(output), new FlowLimits { MaxOutOfOrderBytesPerFlow = 4096, MaxBufferedBytes = 8192 });
        var client = new Endpoint(Address.Parse("10.0.0.1"), 40000);
        var server = new Endpoint(Address.Parse("10.0.0.2"), port);
        uint[] next = [1000, 5000];
        long number = 0;
        if (!udp)
        {
            Send(table, ++number, client, server, IpProtocol.Tcp, 999, 0, TcpFlags.Syn, []);
            Send(table, ++number, server, client, IpProtocol.Tcp, 4999, 1000, TcpFlags.Syn | TcpFlags.Ack, []);
        }
        int at = 1;
        while (at + 2 <= input.Length)
        {
            byte flags = input[at];
            int length = Math.Min(input[at + 1], input.Length - at - 2);
            ReadOnlySpan<byte> payload = input.AsSpan(at + 2, length);
            at += 2 + length;
            int side = flags & 1;
            int jump = (flags >> 1 & 7) switch { 0 or 1 or 2 or 3 => 0, 4 => 7, 5 => -5, 6 => length, _ => -length };
            uint seq = next[side] + (uint)jump;
            (Endpoint from, Endpoint to) = side == 0 ? (client, server) : (server, client);
            TcpFlags tcp = TcpFlags.Ack | ((flags & 0x10) != 0 ? TcpFlags.Psh : 0) | ((flags & 0xE0) == 0xE0 ? TcpFlags.Fin : 0) | ((flags & 0xF0) == 0xD0 ? TcpFlags.Rst : 0);
            Send(table, ++number, from, to, udp ? IpProtocol.Udp : IpProtocol.Tcp, seq, next[1 - side], tcp, payload);
            if (jump >= 0) next[side] = seq + (uint)length;
        }
        table.Flush();
        if (table.Budget.Held != 0) throw new InvalidOperationException($"{table.Budget.Held} bytes still held after flush");
    }

    private static void Send(FlowTable table, long number, Endpoint from, Endpoint to, IpProtocol protocol, uint seq, uint ack, TcpFlags flags, ReadOnlySpan<byte> data)
    {
        var p = new Packet
        {
            Number = number, Time = number * 1_000_000, Source = from, Destination = to, Protocol = protocol,
            Sequence = seq, Acknowledgment = ack, Flags = flags, Window = 1000, Payload = data, PayloadLength = data.Length,
            FrameLength = 54 + data.Length,
        };
        table.Process(ref p);
    }

    private sealed class Listener(AnalyzerOutput output) : IFlowListener
    {
        public void FlowStarted(Flow flow)
        {
            flow.Sink = new AnalyzerHost(flow, ProtocolRegistry.Default);
            flow.Output = output;
        }

        public void FlowEnded(Flow flow, FlowRecord record) => (flow.Sink as AnalyzerHost)?.End(record);
    }

    /// <summary>A whole capture file: reader, decoder (and defragmenter), flow table and analyzers.</summary>
    private static void Capture(byte[] input)
    {
        string path = Path.Combine(Path.GetTempPath(), $"xmppsniff-fuzz-{Environment.ProcessId}.pcap");
        File.WriteAllBytes(path, input);
        ICaptureReader reader;
        try
        {
            reader = CaptureFile.Open(path);
        }
        catch (CaptureFileException)
        {
            return;
        }
        using (reader)
        {
            var decoder = new FrameDecoder();
            var output = new AnalyzerOutput(_ => { }, maxElementBytes: 2048, maxDepth: 16);
            var table = new FlowTable(new Listener(output), new FlowLimits { MaxFlows = 64 });
            long frames = 0;
            while (reader.TryRead(out RawFrame frame))
            {
                if (++frames > input.Length) throw new InvalidOperationException("more frames than bytes");
                if (decoder.Decode(frame, out Packet packet) == DecodeStatus.Transport) table.Process(ref packet);
            }
            table.Flush();
            if (reader.Position > reader.Length) throw new InvalidOperationException("read past the end");
        }
    }
}
