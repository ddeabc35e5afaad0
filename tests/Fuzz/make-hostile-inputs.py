#!/usr/bin/env python3
"""Writes the broken and hostile inputs of issue 9 (robustness) into the current directory, for
hostile-inputs.sh to run through xmppsniff. Each case is also a test (BrokenFileTests, SynFloodTests,
HostileXmlTests, ...); this makes the whole table at once, with peak memory for the large ones."""
import struct, os, random
random.seed(7)
def ghdr(snap=65535, link=1, magic=0xa1b2c3d4): return struct.pack('<IHHiIII', magic, 2, 4, 0, 0, snap, link)
def rec(ts, data, orig=None): return struct.pack('<IIII', int(ts), int((ts%1)*1e6), len(data), orig if orig is not None else len(data)) + data
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2), b)); s=(s>>16)+(s&0xffff); s+=s>>16; return (~s)&0xffff
def tcp(src, dst, sp, dp, seq, ack, flags, payload=b''):
    t=struct.pack('!HHIIBBHHH', sp, dp, seq&0xffffffff, ack&0xffffffff, 5<<4, flags, 65535, 0, 0)+payload
    ip=struct.pack('!BBHHHBBH4s4s',0x45,0,20+len(t),0,0x4000,64,6,0,bytes(src),bytes(dst))
    ip=ip[:10]+struct.pack('!H',csum(ip))+ip[12:]
    return b'\x00'*6+b'\x02'*6+b'\x08\x00'+ip+t
SYN,ACK,PSH,FIN=2,16,8,1
def session(out, ts, c, s, cp, chunks, sp=5222):
    cs, ss = 1000, 5000
    out.append(rec(ts, tcp(c,s,cp,sp,cs,0,SYN))); cs+=1
    out.append(rec(ts+1e-5, tcp(s,c,sp,cp,ss,cs,SYN|ACK))); ss+=1
    out.append(rec(ts+2e-5, tcp(c,s,cp,sp,cs,ss,ACK)))
    t=ts+3e-5
    for ch in chunks:
        for i in range(0, len(ch), 60000):
            part=ch[i:i+60000]; out.append(rec(t, tcp(c,s,cp,sp,cs,ss,ACK|PSH,part))); cs+=len(part); t+=1e-5
    out.append(rec(t, tcp(c,s,cp,sp,cs,ss,FIN|ACK))); cs+=1
    out.append(rec(t+1e-5, tcp(s,c,sp,cp,ss,cs,FIN|ACK))); ss+=1
    out.append(rec(t+2e-5, tcp(c,s,cp,sp,cs,ss,ACK)))
C,S=[10,0,0,1],[10,0,0,2]
HDR=b"<?xml version='1.0'?><stream:stream to='example.com' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
AFTER=b"<message id='after' to='b@example.com'><body>still decoded</body></message></stream:stream>"
def write(name, recs, **kw): open(name,'wb').write(ghdr(**kw)+b''.join(recs))
def xmpp(name, payload):
    r=[]; session(r, 1700000000, C, S, 40000, [HDR+payload+AFTER]); write(name, r)
# broken files
open('empty.pcap','wb').close()
open('random.pcap','wb').write(bytes(random.getrandbits(8) for _ in range(100000)))
r=[]; session(r,1700000000,C,S,40000,[HDR+AFTER])
good=ghdr()+b''.join(r)
open('wrong-magic.pcap','wb').write(b'\x00\x01\x02\x03'+good[4:])
open('record-2gib.pcap','wb').write(good+struct.pack('<IIII',1700000001,0,0x7fffffff,0x7fffffff)+b'x'*100)
open('cut-mid-packet.pcap','wb').write(good[:-30])
write('snaplen-0.pcap', r, snap=0)
r2=[]; session(r2,1700000000,C,S,40000,[HDR+AFTER]); r2=r2[:4]+[rec(1600000000, tcp(C,S,40000,5222,1001,5001,ACK))]+r2[4:]
write('time-backwards.pcap', r2)
# pcapng with bad block length
shb=struct.pack('<IIIHHq',0x0A0D0D0A,28,0x1A2B3C4D,1,0,-1)+struct.pack('<I',28)
idb=struct.pack('<IIHHI',1,20,1,0,65535)+struct.pack('<I',20)
pkt=r[0][16:]
epb_body=struct.pack('<IIIII',0,0,0,len(pkt),len(pkt))+pkt+b'\0'*((4-len(pkt)%4)%4)
epb=struct.pack('<II',6,12+len(epb_body))+epb_body+struct.pack('<I',12+len(epb_body))
bad=struct.pack('<II',6,0xFFFFFF00)+b'\0'*40
open('pcapng-bad-block.pcapng','wb').write(shb+idb+epb+epb+bad)
# hostile XML
lol=b"<!DOCTYPE lolz [<!ENTITY lol 'lol'>"+b''.join(b"<!ENTITY lol%d '%s'>"%(i, (b'&lol%s;'%(b'' if i==1 else str(i-1).encode()))*10) for i in range(1,10))+b"]>"
r=[]; session(r,1700000000,C,S,40000,[HDR[:21]+lol+HDR[21:]+b"<message id='a'><body>&lol9;</body></message>"+AFTER]); write('billion-laughs.pcap', r)
xmpp('undefined-entity.pcap', b"<message id='u'><body>&undefined; &#xD800;</body></message>")
xmpp('unclosed-64mib.pcap', b"<message id='big'><body>"+b'x'*(64<<20))
xmpp('nesting-10000.pcap', b"<message id='deep'>"+b'<a>'*10000+b'</a>'*10000+b"</message>")
xmpp('malformed-tags.pcap', b"<message id='m' <<>> </bogus><presence id='p' type=unquoted/>")
xmpp('invalid-utf8.pcap', b"<message id='i'><body>\xff\xfe\xc3</body></message>")
# SYN flood with one real session inside
r=[]; t=1700000000.0
for i in range(200000):
    a=[10,1+(i>>16)%250,(i>>8)&255,i&255]
    r.append(rec(t, tcp(a,S,1024+i%60000,5222,i*7,0,SYN))); t+=1e-6
    if i==100000: session(r,t,C,S,40000,[HDR+AFTER]); t+=1e-3
write('synflood-200k.pcap', r)
