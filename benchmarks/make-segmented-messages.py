#!/usr/bin/env python3
"""Writes a pcap of one XMPP client stream: twenty 900 KB <message/>s cut into 1,448-byte TCP
segments, as a real network delivers a large stanza. Used to time elements that span hundreds of
segments (benchmarks/README.md, session 14). Usage: make-segmented-messages.py OUT.pcap"""
import struct
import sys


def checksum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def frame(src, dst, sport, dport, seq, ack, flags, payload):
    tcp = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = struct.pack('!4s4sBBH', src, dst, 0, 6, len(tcp) + len(payload))
    tcp = tcp[:16] + struct.pack('!H', checksum(pseudo + tcp + payload)) + tcp[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp) + len(payload), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', checksum(ip)) + ip[12:]
    return b'\0' * 12 + b'\x08\x00' + ip + tcp + payload


def main(path):
    client, server, cport, sport = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), 40000, 5222
    stream = (b"<stream:stream to='localhost' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
              + b''.join(b"<message to='a@b' id='m%d' type='chat'><body>" % i + b'x' * 900_000 + b'</body></message>'
                         for i in range(20)))
    with open(path, 'wb') as out:
        out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        usec = 0

        def write(f):
            nonlocal usec
            usec += 10
            out.write(struct.pack('<IIII', 1, usec, len(f), len(f)) + f)

        cseq, sseq = 1000, 5000
        write(frame(client, server, cport, sport, cseq, 0, 0x02, b''))
        write(frame(server, client, sport, cport, sseq, cseq + 1, 0x12, b''))
        cseq, sseq = cseq + 1, sseq + 1
        write(frame(client, server, cport, sport, cseq, sseq, 0x10, b''))
        for i in range(0, len(stream), 1448):
            segment = stream[i:i + 1448]
            write(frame(client, server, cport, sport, cseq, sseq, 0x18, segment))
            cseq += len(segment)
        write(frame(client, server, cport, sport, cseq, sseq, 0x11, b''))
        write(frame(server, client, sport, cport, sseq, cseq + 1, 0x11, b''))


if __name__ == '__main__':
    main(sys.argv[1])
