using System.Buffers.Binary;
using System.Net;

namespace XmppSniff.Analysis.Protocols.Dns;

/// <summary>A DNS question or resource record as far as the summary needs it.</summary>
internal readonly record struct DnsEntry(string Name, ushort Type, string? Data = null);

/// <summary>
/// One DNS message (RFC 1035 §4): id, flags, questions and answers with their data in text form.
/// Authority and additional records are walked over, not kept. Never throws: bad bytes give false.
/// </summary>
internal sealed class DnsMessage
{
    private const int MaxRecords = 256;

    /// <summary>What <see cref="TryParse"/> gives back when it answers false (callers read nothing of it then).</summary>
    private static readonly DnsMessage NotParsed = new();

    public ushort Id { get; private init; }
    public bool IsResponse { get; private init; }
    public int Opcode { get; private init; }
    public int Rcode { get; private init; }
    public List<DnsEntry> Questions { get; } = [];
    public List<DnsEntry> Answers { get; } = [];

    /// <param name="strict">Believe only a plain query or answer that fills the message exactly (for probing off DNS ports).</param>
    public static bool TryParse(ReadOnlySpan<byte> data, bool strict, out DnsMessage message)
    {
        // The header first, with nothing allocated: probes ask this of the first bytes of every flow on any port.
        message = NotParsed;
        if (data.Length < 12) return false;
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        int qd = BinaryPrimitives.ReadUInt16BigEndian(data[4..]), an = BinaryPrimitives.ReadUInt16BigEndian(data[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(data[8..]), ar = BinaryPrimitives.ReadUInt16BigEndian(data[10..]);
        bool isResponse = (flags & 0x8000) != 0;
        int opcode = (flags >> 11) & 0xF;
        if (opcode is 3 or > 6 || qd > 16 || an + ns + ar > MaxRecords) return false;
        if (qd == 0 && (!isResponse || an == 0)) return false; // only an mDNS announcement has no question
        if (strict && (qd > 1 || opcode != 0 || (!isResponse && (an != 0 || ns != 0 || ar > 1)))) return false;
        message = new DnsMessage { Id = BinaryPrimitives.ReadUInt16BigEndian(data), IsResponse = isResponse, Opcode = opcode, Rcode = flags & 0xF };

        int at = 12;
        for (int i = 0; i < qd; i++)
        {
            if (!DnsName.TryRead(data, ref at, out string name) || at + 4 > data.Length) return false;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
            int cls = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 2)..]) & 0x7FFF; // top bit: mDNS unicast response
            if (type == 0 || cls is not (1 or 3 or 4 or 255)) return false;
            message.Questions.Add(new DnsEntry(name, type));
            at += 4;
        }
        for (int i = 0; i < an + ns + ar; i++)
        {
            if (!DnsName.TryRead(data, ref at, out string name) || at + 10 > data.Length) return false;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(at + 8)..]);
            int rdata = at + 10;
            if (rdata + length > data.Length) return false;
            if (i < an) message.Answers.Add(new DnsEntry(name, type, Describe(data, rdata, length, type)));
            at = rdata + length;
        }
        return !strict || at == data.Length;
    }

    /// <summary>The record's data as text for the common types; null for the rest or when damaged.</summary>
    private static string? Describe(ReadOnlySpan<byte> message, int at, int length, ushort type)
    {
        ReadOnlySpan<byte> rdata = message.Slice(at, length);
        int name = at;
        switch (type)
        {
            case 1 when length == 4:
            case 28 when length == 16:
                return new IPAddress(rdata).ToString();
            case 2 or 5 or 12:
                return DnsName.TryRead(message, ref name, out string target) ? target : null;
            case 15 when length > 2:
                name += 2;
                return DnsName.TryRead(message, ref name, out string exchange) ? exchange : null;
            case 33 when length > 6:
                name += 6;
                return DnsName.TryRead(message, ref name, out string host) ? $"{host}:{BinaryPrimitives.ReadUInt16BigEndian(rdata[4..])}" : null;
            case 16 when length > 0 && rdata[0] < length:
                return System.Text.Encoding.Latin1.GetString(rdata.Slice(1, rdata[0]));
            default:
                return null;
        }
    }
}
