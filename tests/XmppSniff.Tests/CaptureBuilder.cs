using System.Buffers.Binary;
using XmppSniff.Capture;
using XmppSniff.Capture.Files;

namespace XmppSniff.Tests;

/// <summary>
/// Writes hand-made TCP/IPv4 packets on Ethernet into a pcap file with the project's PcapWriter, for
/// captures a test needs but nobody should commit (floods, holes, hostile payloads).
/// </summary>
internal sealed class CaptureBuilder(Stream stream)
{
    private readonly PcapWriter _writer = new(stream, LinkType.Ethernet, nanoseconds: true);
    private readonly byte[] _frame = new byte[65_600];

    /// <summary>Capture time of the next packet, ns since the epoch; each packet adds a microsecond.</summary>
    public long Time { get; set; } = 1_764_000_000_000_000_000;

    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10;

    /// <summary>One TCP segment from <paramref name="src"/>:<paramref name="sport"/> to <paramref name="dst"/>:<paramref name="dport"/>.</summary>
    public void Tcp(uint src, ushort sport, uint dst, ushort dport, byte flags, uint seq, uint ack, ReadOnlySpan<byte> payload = default)
    {
        int length = 54 + payload.Length;
        Span<byte> b = _frame.AsSpan(0, length);
        b[..54].Clear();
        b[12] = 0x08; // IPv4
        Span<byte> ip = b[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(40 + payload.Length));
        ip[8] = 64;
        ip[9] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], src);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dst);
        Span<byte> tcp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sport);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], dport);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], ack);
        tcp[12] = 5 << 4;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 64240);
        payload.CopyTo(tcp[20..]);
        _writer.Write(Time, b);
        Time += 1000;
    }

    /// <summary>A frame as it is (e.g. copied from another capture), at <paramref name="time"/>.</summary>
    public void Frame(long time, ReadOnlySpan<byte> data) => _writer.Write(time, data);

    public static uint Ip(byte a, byte b, byte c, byte d) => (uint)(a << 24 | b << 16 | c << 8 | d);
}

/// <summary>One connection written through a <see cref="CaptureBuilder"/>: handshake, data either way, close.</summary>
internal sealed class TcpConversation(CaptureBuilder capture, uint client, ushort clientPort, uint server, ushort serverPort)
{
    public uint ClientSeq = 1000, ServerSeq = 5000;

    public TcpConversation Open()
    {
        capture.Tcp(client, clientPort, server, serverPort, CaptureBuilder.Syn, ClientSeq++, 0);
        capture.Tcp(server, serverPort, client, clientPort, CaptureBuilder.Syn | CaptureBuilder.Ack, ServerSeq++, ClientSeq);
        capture.Tcp(client, clientPort, server, serverPort, CaptureBuilder.Ack, ClientSeq, ServerSeq);
        return this;
    }

    /// <summary>Client data at <see cref="ClientSeq"/> plus <paramref name="skip"/> (a hole of that many bytes before it when positive).</summary>
    public TcpConversation Client(ReadOnlySpan<byte> data, int skip = 0)
    {
        capture.Tcp(client, clientPort, server, serverPort, CaptureBuilder.Ack | CaptureBuilder.Psh, ClientSeq + (uint)skip, ServerSeq, data);
        if (skip == 0) ClientSeq += (uint)data.Length;
        return this;
    }

    public TcpConversation Client(string text) => Client(System.Text.Encoding.UTF8.GetBytes(text));

    public TcpConversation Server(string text)
    {
        byte[] data = System.Text.Encoding.UTF8.GetBytes(text);
        capture.Tcp(server, serverPort, client, clientPort, CaptureBuilder.Ack | CaptureBuilder.Psh, ServerSeq, ClientSeq, data);
        ServerSeq += (uint)data.Length;
        return this;
    }

    public void Close()
    {
        capture.Tcp(client, clientPort, server, serverPort, CaptureBuilder.Fin | CaptureBuilder.Ack, ClientSeq++, ServerSeq);
        capture.Tcp(server, serverPort, client, clientPort, CaptureBuilder.Fin | CaptureBuilder.Ack, ServerSeq++, ClientSeq);
        capture.Tcp(client, clientPort, server, serverPort, CaptureBuilder.Ack, ClientSeq, ServerSeq);
    }
}
