using System.Collections.Concurrent;
using XmppSniff.Analysis.Flows;
using XmppSniff.Analysis.Protocols.Tls.Decryption;
using XmppSniff.Capture;
using XmppSniff.Capture.Decode;
using XmppSniff.Capture.Files;
using XmppSniff.Core;

namespace XmppSniff.Running;

/// <summary>
/// The pipeline over one file: reader → decoder on one thread, flow table → listener on the
/// calling thread, joined by a small ring of packet batches. One consumer, in file order, so the
/// output is the same as a single-threaded run.
/// </summary>
internal sealed class CaptureRun(string path, FlowLimits limits)
{
    private const int BatchesInFlight = 6;

    public DecodeCounters Decode { get; private set; } = new();

    public FlowCounters Flows { get; private set; } = new();

    public FlowTable? Table { get; private set; }

    public ICaptureReader? Reader { get; private set; }

    public long Bytes { get; private set; }

    public long FirstTime { get; private set; } = long.MaxValue;

    public long LastTime { get; private set; } = long.MinValue;

    /// <summary>Where a pcapng's Decryption Secrets Blocks go as the reader meets them (before the packets they are for).</summary>
    public TlsKeyLog? TlsKeys { get; init; }

    private long[] _framesPerInterface = [];
    private volatile bool _stopRequested;

    /// <summary>Frames per link type name, over all interfaces.</summary>
    public IEnumerable<(string Name, long Count)> LinkTypeCounts() =>
        _framesPerInterface
            .Select((count, i) => (Name: Reader!.Interfaces[i].LinkType.ToString(), Count: count))
            .Where(x => x.Count > 0)
            .GroupBy(x => x.Name)
            .Select(g => (g.Key, g.Sum(x => x.Count)));

    /// <summary>Reads the whole file (or until <paramref name="stop"/> says so) and flushes the flows still open.</summary>
    /// <exception cref="CaptureFileException">The file cannot be read as a capture.</exception>
    public void Run(IFlowListener listener, Func<bool>? stop = null)
    {
        using ICaptureReader reader = CaptureFile.Open(path);
        Reader = reader;
        var table = new FlowTable(listener, limits);
        Flows = table.Counters;
        Table = table;

        using var free = new BlockingCollection<PacketBatch>(BatchesInFlight);
        using var full = new BlockingCollection<PacketBatch>(BatchesInFlight);
        for (int i = 0; i < BatchesInFlight; i++) free.Add(new PacketBatch());
        Task producer = Task.Factory.StartNew(() => Produce(reader, free, full), TaskCreationOptions.LongRunning);

        foreach (PacketBatch batch in full.GetConsumingEnumerable())
        {
            if (!_stopRequested)
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    batch.Get(i, out Packet packet);
                    table.Process(ref packet);
                }
                if (stop?.Invoke() == true) _stopRequested = true;
            }
            batch.Clear();
            free.Add(batch);
        }
        producer.GetAwaiter().GetResult();
        table.Flush();
    }

    /// <summary>The reading thread: frames in, decoded TCP/UDP packets out in batches; counts what it saw.</summary>
    private void Produce(ICaptureReader reader, BlockingCollection<PacketBatch> free, BlockingCollection<PacketBatch> full)
    {
        try
        {
            var decoder = new FrameDecoder();
            Decode = decoder.Counters;
            using Progress? progress = reader.Length > 0 ? Progress.OnTerminal() : null;
            PacketBatch batch = free.Take();
            var secrets = TlsKeys is null ? null : reader as PcapNgReader;
            int secretsRead = 0;
            while (!_stopRequested && reader.TryRead(out RawFrame frame))
            {
                if (secrets is not null && secrets.DecryptionSecrets.Count != secretsRead) secretsRead = AddSecrets(secrets, secretsRead);
                Bytes += frame.OriginalLength;
                CountInterface(frame.InterfaceId, reader.Interfaces.Count);
                if (frame.Time < FirstTime) FirstTime = frame.Time;
                if (frame.Time > LastTime) LastTime = frame.Time;
                if (decoder.Decode(frame, out Packet packet) == DecodeStatus.Transport)
                {
                    if (batch.IsFull(packet.Payload.Length))
                    {
                        full.Add(batch);
                        batch = free.Take();
                    }
                    batch.Add(ref packet);
                }
                if ((frame.Number & 0xFFFF) == 0) progress?.Show($"{100.0 * reader.Position / reader.Length,5:0.0}%  {frame.Number:N0} packets");
            }
            full.Add(batch);
        }
        finally
        {
            full.CompleteAdding();
        }
    }

    /// <summary>TLS key log secrets (type 'TLSK') from the DSBs read since <paramref name="from"/>; returns how many DSBs are done.</summary>
    private int AddSecrets(PcapNgReader reader, int from)
    {
        const uint TlsKeyLogType = 0x544c534b;
        for (int i = from; i < reader.DecryptionSecrets.Count; i++)
            if (reader.DecryptionSecrets[i].Type == TlsKeyLogType) TlsKeys!.Add(reader.DecryptionSecrets[i].Data);
        return reader.DecryptionSecrets.Count;
    }

    private void CountInterface(int id, int interfaces)
    {
        if ((uint)id >= (uint)_framesPerInterface.Length)
        {
            if ((uint)id >= (uint)interfaces) return;
            Array.Resize(ref _framesPerInterface, interfaces);
        }
        _framesPerInterface[id]++;
    }
}
