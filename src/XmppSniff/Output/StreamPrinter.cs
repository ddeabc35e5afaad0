using System.Text;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Reassembly;
using XmppSniff.Core;

namespace XmppSniff.Output;

/// <summary>Prints a flow's bytes as they are delivered: a marked block per chunk, text with non-printables as '.', or hex.</summary>
/// <remarks>Credentials are masked with '*' (see <see cref="SecretMasker"/>) unless <paramref name="showSecrets"/>.</remarks>
internal sealed class StreamPrinter(TextWriter output, bool hex, bool showSecrets = false) : IStreamSink
{
    private const string Rule = "===================================================================";
    private readonly SecretMasker _client = new(), _server = new();
    private byte[] _masked = [];
    private long _start;

    public void Begin(Flow flow)
    {
        _start = flow.Start;
        output.WriteLine(Rule);
        output.WriteLine($"Follow: {Formats.Protocol(flow.Protocol)},{(hex ? "raw" : "ascii")}  flow {flow.Id}");
        output.WriteLine($"Client: {flow.Client}");
        output.WriteLine($"Server: {flow.Server}");
        output.WriteLine(Rule);
    }

    public void OnData(FlowSide from, ReadOnlySpan<byte> data, long time, long frame)
    {
        string arrow = from == FlowSide.Client ? ">>> client" : "<<< server";
        output.WriteLine($"{arrow} {data.Length} bytes, frame {frame}, +{(time - _start) / 1e9:0.000000} s");
        if (!showSecrets)
        {
            if (_masked.Length < data.Length) _masked = new byte[Math.Max(data.Length, 2 * _masked.Length)];
            Span<byte> copy = _masked.AsSpan(0, data.Length);
            data.CopyTo(copy);
            (from == FlowSide.Client ? _client : _server).MaskInPlace(copy);
            data = copy;
        }
        if (hex) WriteHex(from, data);
        else WriteText(data);
    }

    public void OnGap(FlowSide from, long length) =>
        output.WriteLine($"[gap: {length} bytes from the {(from == FlowSide.Client ? "client" : "server")} were not captured]");

    public void End(FlowRecord record)
    {
        output.WriteLine(Rule);
        output.WriteLine($"{record.State} {record.History}  client {record.BytesClientToServer} bytes, server {record.BytesServerToClient} bytes, missed {record.MissedBytes}");
        output.WriteLine(Rule);
    }

    private void WriteText(ReadOnlySpan<byte> data)
    {
        var line = new StringBuilder(data.Length);
        foreach (byte b in data)
        {
            if (b == '\r') continue;
            line.Append(b is (>= 0x20 and < 0x7F) or (byte)'\n' or (byte)'\t' ? (char)b : '.');
        }
        output.Write(line);
        if (data.Length == 0 || data[^1] != '\n') output.WriteLine();
    }

    private void WriteHex(FlowSide from, ReadOnlySpan<byte> data)
    {
        string indent = from == FlowSide.Server ? "\t" : "";
        for (int i = 0; i < data.Length; i += 32)
            output.WriteLine(indent + Convert.ToHexStringLower(data.Slice(i, Math.Min(32, data.Length - i))));
    }
}
