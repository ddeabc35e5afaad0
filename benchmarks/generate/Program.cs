// xmppsniff-generate: builds a large classic pcap from a small seed capture.
//
// Every copy k of the seed gets its own client IPv4 addresses (10.b.c.d, see ClientAddress) and
// is shifted in time by k * offset, so the flows of many copies interleave. The output is sorted
// by time with a k-way merge over the in-memory seed: all copies share the same packet sequence,
// so the merge state is one cursor per active copy, and the packets are written straight from
// the seed bytes into an output buffer (no per-packet objects).
//
// Checksums: the IPv4 header checksum is always recomputed. TCP/UDP checksums are, by default
// ("--l4-checksum fix"), recomputed from scratch when the whole segment was captured, and
// adjusted incrementally (RFC 1624) for the address change when it was truncated by the snap
// length. "--l4-checksum keep" leaves the seed's TCP/UDP checksum bytes unchanged (they are then
// wrong for the rewritten addresses).
//
// The output is deterministic: same seed + same options => same bytes.

using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;

namespace XmppSniff.Generate;

internal static class Program
{
    private const string Usage = """
        usage: xmppsniff-generate -i SEED.pcap -o OUT.pcap [--copies N | --packets N] [options]

          -i, --input FILE        seed capture: classic pcap, Ethernet (1) or raw IPv4 (101/228)
          -o, --output FILE       output capture (classic pcap, little endian, same time resolution)
          --copies N              number of copies of the seed (default 1)
          --packets N             target packet count: copies = max(1, round(N / seed packets))
          --offset-us X           time shift between consecutive copies, microseconds (default 100)
          --l4-checksum MODE      fix (default): recompute TCP/UDP checksums; keep: leave seed bytes
          -q, --quiet             no summary on stderr
        """;

    private static int Main(string[] args)
    {
        string? input = null, output = null;
        long copies = -1, packets = -1;
        double offsetUs = 100;
        bool fixL4 = true, quiet = false;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "-i": case "--input": input = Next(); break;
                    case "-o": case "--output": output = Next(); break;
                    case "--copies": copies = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--packets": packets = long.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--offset-us": offsetUs = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--l4-checksum":
                        fixL4 = Next() switch
                        {
                            "fix" => true,
                            "keep" => false,
                            var m => throw new ArgumentException($"unknown --l4-checksum mode '{m}'"),
                        };
                        break;
                    case "-q": case "--quiet": quiet = true; break;
                    case "-h": case "--help": Console.Out.WriteLine(Usage); return 0;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            if (input is null || output is null) throw new ArgumentException("--input and --output are required");
            if (copies >= 0 && packets >= 0) throw new ArgumentException("give --copies or --packets, not both");
            if (offsetUs < 0) throw new ArgumentException("--offset-us must be >= 0");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine($"xmppsniff-generate: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        try
        {
            var sw = Stopwatch.StartNew();
            var seed = Seed.Load(input, fixL4);
            if (seed.Count == 0) throw new InvalidDataException("seed capture has no packets");
            if (packets >= 0) copies = Math.Max(1, (long)Math.Round((double)packets / seed.Count));
            if (copies < 0) copies = 1;
            long maxCopies = ClientAddress.MaxIndex / Math.Max(1, seed.ClientCount);
            if (copies > maxCopies) throw new ArgumentException($"at most {maxCopies} copies fit the 10.0.0.0/8 client address plan");

            long offsetTicks = (long)Math.Round(offsetUs * seed.TicksPerSecond / 1_000_000.0);
            var (written, bytes) = Writer.Write(seed, output, (int)copies, offsetTicks);
            if (!quiet)
            {
                Console.Error.WriteLine(
                    $"seed: {seed.Count} packets, {seed.FlowCount} TCP/UDP flows ({seed.TcpConnections} TCP with SYN), " +
                    $"{seed.ClientCount} client address(es), link type {seed.LinkType}, {(seed.TicksPerSecond == 1_000_000 ? "us" : "ns")} timestamps");
                Console.Error.WriteLine(
                    $"wrote {output}: {copies} copies, {written} packets, {bytes} bytes, " +
                    $"{(long)copies * seed.FlowCount} flows, offset {offsetTicks} ticks/copy, " +
                    $"L4 checksums {(fixL4 ? "fixed" : "kept")}, {sw.Elapsed.TotalSeconds:F2} s");
            }
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"xmppsniff-generate: {e.Message}");
            return 1;
        }
    }
}

/// <summary>Client address plan: index n -> 10.b.c.d with d in 1..254 (no .0 / .255 hosts).</summary>
internal static class ClientAddress
{
    public const long MaxIndex = 254L * 256 * 256;

    public static uint Get(long n)
    {
        uint d = (uint)(1 + n % 254);
        n /= 254;
        uint c = (uint)(n % 256);
        uint b = (uint)(n / 256);
        return (10u << 24) | (b << 16) | (c << 8) | d;
    }
}

/// <summary>One's complement arithmetic (RFC 1071) on 32-bit accumulators.</summary>
internal static class Checksum
{
    public static uint Sum(ReadOnlySpan<byte> data)
    {
        ulong sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (i < data.Length) sum += (uint)(data[i] << 8);
        return Fold(sum);
    }

    public static uint Fold(ulong sum)
    {
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (uint)sum;
    }

    public static uint AddAddress(uint sum, uint address) => sum + (address >> 16) + (address & 0xFFFF);
}

/// <summary>The seed capture in memory plus per-packet rewrite plans (parallel arrays, no objects per packet).</summary>
internal sealed class Seed
{
    public required byte[] Data { get; init; }
    public required uint LinkType { get; init; }
    public required uint SnapLen { get; init; }
    public required long TicksPerSecond { get; init; }
    public int Count;
    public int FlowCount;
    public int TcpConnections;
    public int ClientCount;

    // per packet, in time order
    public long[] Ts = [];
    public int[] Offset = [];          // start of packet bytes in Data
    public int[] CapLen = [];
    public int[] OrigLen = [];
    public int[] AddrPos = [];         // absolute position in the packet of the client address field, -1: no rewrite
    public int[] Client = [];          // client address index within the seed (0..ClientCount-1)
    public int[] IpCkPos = [];         // position of the IPv4 header checksum
    public uint[] IpBase = [];         // header sum without checksum and client address
    public int[] L4CkPos = [];         // position of the TCP/UDP checksum, -1: leave as is
    public uint[] L4Base = [];         // sum of everything but the client address (see Writer)
    public bool[] L4Udp = [];          // UDP: a computed 0 is sent as 0xFFFF

    private readonly record struct FlowKey(uint A, ushort PortA, uint B, ushort PortB, byte Proto);

    private sealed class FlowInfo
    {
        public uint ClientIp;
        public ushort ClientPort;
        public int Strength; // 3 = SYN seen, 2 = SYN/ACK seen, 1 = port heuristic
    }

    public static Seed Load(string path, bool fixL4)
    {
        byte[] data = File.ReadAllBytes(path);
        if (data.Length < 24) throw new InvalidDataException($"{path}: too short for a pcap header");
        uint magicLe = BinaryPrimitives.ReadUInt32LittleEndian(data);
        bool bigEndian;
        long ticks;
        switch (magicLe)
        {
            case 0xA1B2C3D4: bigEndian = false; ticks = 1_000_000; break;
            case 0xA1B23C4D: bigEndian = false; ticks = 1_000_000_000; break;
            case 0xD4C3B2A1: bigEndian = true; ticks = 1_000_000; break;
            case 0x4D3CB2A1: bigEndian = true; ticks = 1_000_000_000; break;
            default: throw new InvalidDataException($"{path}: not a classic pcap file (pcapng is not supported; convert with editcap -F pcap)");
        }
        uint U32(int pos) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(pos)) : BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos));

        uint linkType = U32(20) & 0x0FFFFFFF;
        if (linkType is not (1 or 101 or 228))
            throw new InvalidDataException($"{path}: link type {linkType} not supported (Ethernet 1, raw IPv4 101/228)");

        var seed = new Seed { Data = data, LinkType = linkType, SnapLen = U32(16), TicksPerSecond = ticks };

        // records
        var ts = new List<long>();
        var off = new List<int>();
        var cap = new List<int>();
        var orig = new List<int>();
        int p = 24;
        while (p + 16 <= data.Length)
        {
            uint sec = U32(p), frac = U32(p + 4);
            int incl = checked((int)U32(p + 8));
            int olen = checked((int)U32(p + 12));
            if (p + 16 + incl > data.Length) break; // truncated last record
            ts.Add(sec * ticks + frac);
            off.Add(p + 16);
            cap.Add(incl);
            orig.Add(olen);
            p += 16 + incl;
        }

        // time order (stable); a normal capture is already sorted
        int n = ts.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => ts[i]).ThenBy(i => i).ToArray();
        seed.Count = n;
        seed.Ts = order.Select(i => ts[i]).ToArray();
        seed.Offset = order.Select(i => off[i]).ToArray();
        seed.CapLen = order.Select(i => cap[i]).ToArray();
        seed.OrigLen = order.Select(i => orig[i]).ToArray();
        seed.AddrPos = new int[n];
        seed.Client = new int[n];
        seed.IpCkPos = new int[n];
        seed.IpBase = new uint[n];
        seed.L4CkPos = new int[n];
        seed.L4Base = new uint[n];
        seed.L4Udp = new bool[n];

        // pass 1: decide the client endpoint of every TCP/UDP flow
        var flows = new Dictionary<FlowKey, FlowInfo>();
        for (int i = 0; i < n; i++)
        {
            if (!seed.TryTransport(i, out int ip, out _, out byte proto, out _)) continue;
            uint src = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(ip + 12));
            uint dst = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(ip + 16));
            int l4 = ip + (data[ip] & 0x0F) * 4;
            ushort sport = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(l4));
            ushort dport = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(l4 + 2));
            var key = Canonical(src, sport, dst, dport, proto);

            int strength = 1;
            uint cIp; ushort cPort;
            if (proto == 6 && l4 + 14 <= seed.Offset[i] + seed.CapLen[i] && (data[l4 + 13] & 0x02) != 0)
            {
                bool ack = (data[l4 + 13] & 0x10) != 0;
                strength = ack ? 2 : 3;
                (cIp, cPort) = ack ? (dst, dport) : (src, sport);
            }
            else
            {
                // no handshake seen: the higher (ephemeral) port is the client; ties -> sender of first packet
                (cIp, cPort) = dport > sport ? (dst, dport) : (src, sport);
            }

            if (!flows.TryGetValue(key, out var f))
            {
                flows[key] = new FlowInfo { ClientIp = cIp, ClientPort = cPort, Strength = strength };
                if (strength == 3) seed.TcpConnections++;
            }
            else if (strength > f.Strength)
            {
                if (strength == 3 && f.Strength < 3) seed.TcpConnections++;
                f.ClientIp = cIp; f.ClientPort = cPort; f.Strength = strength;
            }
        }
        seed.FlowCount = flows.Count;

        // pass 2: rewrite plan per packet
        var clientIndex = new Dictionary<uint, int>();
        Span<byte> hdr = stackalloc byte[60];
        for (int i = 0; i < n; i++)
        {
            seed.AddrPos[i] = -1;
            seed.L4CkPos[i] = -1;
            if (!seed.TryTransport(i, out int ip, out int ipLen, out byte proto, out bool whole)) continue;
            int ihl = (data[ip] & 0x0F) * 4;
            int l4 = ip + ihl;
            uint src = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(ip + 12));
            uint dst = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(ip + 16));
            ushort sport = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(l4));
            ushort dport = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(l4 + 2));
            var f = flows[Canonical(src, sport, dst, dport, proto)];
            bool fromClient = src == f.ClientIp && sport == f.ClientPort;
            int addrPos = ip + (fromClient ? 12 : 16);
            uint clientIp = fromClient ? src : dst;
            if (!clientIndex.TryGetValue(clientIp, out int ci)) clientIndex[clientIp] = ci = clientIndex.Count;

            seed.AddrPos[i] = addrPos;
            seed.Client[i] = ci;
            seed.IpCkPos[i] = ip + 10;
            // IPv4 header sum without the checksum field and the client address (both zeroed)
            data.AsSpan(ip, ihl).CopyTo(hdr);
            hdr[10] = hdr[11] = 0;
            hdr.Slice(addrPos - ip, 4).Clear();
            seed.IpBase[i] = Checksum.Sum(hdr[..ihl]);

            int ckPos = l4 + (proto == 6 ? 16 : 6);
            if (ckPos + 2 > seed.Offset[i] + seed.CapLen[i]) continue; // checksum field not captured
            bool udp = proto == 17;
            ushort oldCk = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(ckPos));
            if (udp && oldCk == 0) continue; // UDP without checksum stays without
            if (fixL4 && whole)
            {
                // pseudo header (other address, proto, length) + segment without checksum field
                int l4Len = ipLen - ihl;
                uint other = fromClient ? dst : src;
                ulong s = (other >> 16) + (other & 0xFFFF) + proto + (uint)l4Len;
                s += Checksum.Sum(data.AsSpan(l4, ckPos - l4));
                // the part after the checksum field starts at an even offset, so word alignment holds
                s += Checksum.Sum(data.AsSpan(ckPos + 2, l4 + l4Len - ckPos - 2));
                seed.L4Base[i] = Checksum.Fold(s);
            }
            else if (fixL4)
            {
                // truncated segment: RFC 1624 incremental update, ~old + ~oldAddr (+ newAddr later)
                ulong s = (uint)(~oldCk & 0xFFFF) + (~clientIp >> 16 & 0xFFFF) + (~clientIp & 0xFFFF);
                seed.L4Base[i] = Checksum.Fold(s);
            }
            else continue; // keep
            seed.L4CkPos[i] = ckPos;
            seed.L4Udp[i] = udp;
        }
        seed.ClientCount = Math.Max(1, clientIndex.Count);
        return seed;
    }

    private static FlowKey Canonical(uint a, ushort pa, uint b, ushort pb, byte proto) =>
        (a < b || (a == b && pa <= pb)) ? new FlowKey(a, pa, b, pb, proto) : new FlowKey(b, pb, a, pa, proto);

    /// <summary>IPv4 TCP/UDP packet (first fragment or unfragmented) with the ports captured.</summary>
    private bool TryTransport(int i, out int ip, out int ipLen, out byte proto, out bool whole)
    {
        ip = -1; ipLen = 0; proto = 0; whole = false;
        int start = Offset[i], end = start + CapLen[i];
        int pos = start;
        if (LinkType == 1)
        {
            if (CapLen[i] < 14) return false;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(Data.AsSpan(start + 12));
            pos = start + 14;
            while (type is 0x8100 or 0x88A8 && pos + 4 <= end) // VLAN tags
            {
                type = BinaryPrimitives.ReadUInt16BigEndian(Data.AsSpan(pos + 2));
                pos += 4;
            }
            if (type != 0x0800) return false;
        }
        if (pos + 20 > end || (Data[pos] >> 4) != 4) return false;
        int ihl = (Data[pos] & 0x0F) * 4;
        if (ihl < 20 || pos + ihl > end) return false;
        proto = Data[pos + 9];
        if (proto is not (6 or 17)) return false;
        ushort frag = BinaryPrimitives.ReadUInt16BigEndian(Data.AsSpan(pos + 6));
        if ((frag & 0x3FFF) != 0) return false; // fragments: copied verbatim
        ipLen = BinaryPrimitives.ReadUInt16BigEndian(Data.AsSpan(pos + 2));
        if (ipLen < ihl + (proto == 6 ? 20 : 8) || pos + ihl + 4 > end) return false;
        ip = pos;
        whole = pos + ipLen <= end;
        return true;
    }
}

internal static class Writer
{
    /// <summary>k-way merge of the time-shifted copies, written straight from the seed bytes.</summary>
    public static (long Packets, long Bytes) Write(Seed seed, string path, int copies, long offsetTicks)
    {
        byte[] data = seed.Data;
        int n = seed.Count;
        long tps = seed.TicksPerSecond;
        long t0 = seed.Ts[0];

        // the client addresses of each copy, precomputed: addr[k * ClientCount + c]
        int cc = seed.ClientCount;
        var addr = new uint[(long)copies * cc];
        for (long j = 0; j < addr.Length; j++) addr[j] = ClientAddress.Get(j);

        const int BufSize = 4 << 20;
        var buf = new byte[BufSize];
        int used = 0;
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1, FileOptions.SequentialScan);

        // global header: little endian, same resolution as the seed
        BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(0), tps == 1_000_000 ? 0xA1B2C3D4u : 0xA1B23C4Du);
        BinaryPrimitives.WriteUInt16LittleEndian(buf.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(buf.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(12), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(16), seed.SnapLen);
        BinaryPrimitives.WriteUInt32LittleEndian(buf.AsSpan(20), seed.LinkType);
        used = 24;
        long bytes = 24, packets = 0;

        // cursor per active copy; priority (time, copy) gives a total, deterministic order
        var next = new int[copies];
        var heap = new PriorityQueue<int, (long Ts, int Copy)>();
        int nextCopy = 0;

        while (true)
        {
            // activate copies lazily: copy k starts at t0 + k * offset
            while (nextCopy < copies)
            {
                long first = t0 + nextCopy * offsetTicks;
                if (heap.TryPeek(out _, out var top) && top.Ts < first) break;
                heap.Enqueue(nextCopy, (first, nextCopy));
                nextCopy++;
            }
            if (heap.Count == 0) break;

            heap.TryDequeue(out int k, out var pri);
            int i = next[k]++;
            if (i + 1 < n) heap.Enqueue(k, (seed.Ts[i + 1] + k * offsetTicks, k));

            int len = seed.CapLen[i];
            if (used + 16 + len > BufSize)
            {
                fs.Write(buf, 0, used);
                used = 0;
                if (16 + len > BufSize) { buf = new byte[16 + len]; }
            }
            long ts = pri.Ts;
            var rec = buf.AsSpan(used);
            BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)(ts / tps));
            BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], (uint)(ts % tps));
            BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], (uint)len);
            BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], (uint)seed.OrigLen[i]);
            int start = seed.Offset[i];
            data.AsSpan(start, len).CopyTo(rec[16..]);

            int ap = seed.AddrPos[i];
            if (ap >= 0)
            {
                var pkt = rec.Slice(16, len);
                uint a = addr[(long)k * cc + seed.Client[i]];
                BinaryPrimitives.WriteUInt32BigEndian(pkt[(ap - start)..], a);
                uint ipSum = Checksum.Fold(Checksum.AddAddress(seed.IpBase[i], a));
                BinaryPrimitives.WriteUInt16BigEndian(pkt[(seed.IpCkPos[i] - start)..], (ushort)~ipSum);
                int cp = seed.L4CkPos[i];
                if (cp >= 0)
                {
                    ushort ck = (ushort)~Checksum.Fold(Checksum.AddAddress(seed.L4Base[i], a));
                    if (ck == 0 && seed.L4Udp[i]) ck = 0xFFFF;
                    BinaryPrimitives.WriteUInt16BigEndian(pkt[(cp - start)..], ck);
                }
            }
            used += 16 + len;
            bytes += 16 + len;
            packets++;
        }
        fs.Write(buf, 0, used);
        return (packets, bytes);
    }
}
