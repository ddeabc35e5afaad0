"""A minimal XMPP-over-WebSocket client (RFC 6455 + RFC 7395) for make-xmpp-websocket-capture.sh: one session
against prosody's mod_websocket on 127.0.0.1, every element in a text message of its own, client frames masked.
Usage: xmpp-websocket-client.py PORT [KEYLOG]: with KEYLOG, over TLS (wss://), writing the session's keys there."""
import base64, os, re, socket, ssl, struct, sys

PORT = int(sys.argv[1])
FRAMING = "urn:ietf:params:xml:ns:xmpp-framing"
s = socket.create_connection(("127.0.0.1", PORT), timeout=15)
if len(sys.argv) > 2:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False  # the self-signed test certificate
    ctx.verify_mode = ssl.CERT_NONE
    ctx.keylog_filename = sys.argv[2]
    s = ctx.wrap_socket(s, server_hostname="localhost")
key = base64.b64encode(os.urandom(16)).decode()
s.sendall((f"GET /xmpp-websocket HTTP/1.1\r\nHost: localhost:{PORT}\r\nUpgrade: websocket\r\n"
           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
           "Sec-WebSocket-Protocol: xmpp\r\n\r\n").encode())
buf = b""
while b"\r\n\r\n" not in buf:
    buf += s.recv(4096)
head, buf = buf.split(b"\r\n\r\n", 1)
if b" 101 " not in head.split(b"\r\n")[0] + b" ":
    sys.exit(head.decode())


def send(text, opcode=1, fin=True):
    data = text.encode()
    mask = os.urandom(4)
    n = len(data)
    length = bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack("!H", n)
    s.sendall(bytes([(0x80 if fin else 0) | opcode]) + length + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def frame():
    global buf
    while True:
        if len(buf) >= 2:
            n, at = buf[1] & 0x7F, 2
            if n == 126:
                n, at = (struct.unpack("!H", buf[2:4])[0], 4) if len(buf) >= 4 else (None, 0)
            elif n == 127:
                n, at = (struct.unpack("!Q", buf[2:10])[0], 10) if len(buf) >= 10 else (None, 0)
            if n is not None and len(buf) >= at + n:
                op, data, buf = buf[0] & 0x0F, buf[at:at + n], buf[at + n:]
                return op, data.decode(errors="replace")
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("the server closed the connection")
        buf += chunk


def until(pattern):
    while True:
        op, text = frame()
        print(f"<- {op} {text[:120]}", file=sys.stderr)
        if op == 1 and re.search(pattern, text):
            return text


send(f"<open xmlns='{FRAMING}' to='localhost' version='1.0'/>")
until("<stream:features")
cred = base64.b64encode(b"\0paris\0paris-ws-pass").decode()
send(f"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{cred}</auth>")
until("<success")
send(f"<open xmlns='{FRAMING}' to='localhost' version='1.0'/>")
until("<stream:features")
send("<iq type='set' id='bind_1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
     "<resource>ws</resource></bind></iq>")
jid = re.search(r"<jid>([^<]+)</jid>", until("bind_1")).group(1)
send("are you there?", opcode=9)  # a WebSocket ping: prosody answers with a pong (prosody refuses fragmented messages)
send(f"<message to='{jid}' type='chat' id='m1' xmlns='jabber:client'><body>A plague o' both your houses, über WebSocket</body></message>")
until("über WebSocket")
send("<iq type='get' id='ping_1' to='localhost' xmlns='jabber:client'><ping xmlns='urn:xmpp:ping'/></iq>")
until("ping_1")
send(f"<close xmlns='{FRAMING}'/>")
until("<close")
s.close()
