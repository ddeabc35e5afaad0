#!/usr/bin/env bash
# make-xmpp-bosh-capture.sh: XMPP over BOSH (XEP-0124 / XEP-0206) from a real server (Debian's
# prosody with mod_bosh) and a small Python client written with http.client, on 127.0.0.1.
#
# Run as root (tcpdump must open lo):   sudo bash captures/make-xmpp-bosh-capture.sh
#
# Writes captures/xmpp-bosh.pcap: one keep-alive HTTP/1.1 connection to 127.0.0.1:5280 carrying
# POST /http-bind requests, one at a time (hold=1, wait=5): session creation (to, wait, hold,
# rid, xmpp:version), SASL PLAIN, stream restart (xmpp:restart), resource bind, one chat message
# to the client's own full JID (so the answer to that request carries it back), then
# type='terminate'. No TLS: consider_bosh_secure = true lets prosody offer PLAIN over plain HTTP.
#
# Test password only (never a real one): benvolio / benvolio-bosh-pass.
# Prosody runs in the foreground from a config written to a temp dir; HTTP on 127.0.0.1:5280.
set -euo pipefail

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/xmpp-bosh.pcap"
PORT=5280

NAME=make-xmpp-bosh-capture.sh
source "$(dirname "${BASH_SOURCE[0]}")/prosody-capture-lib.sh"
need_root
install_missing "command -v prosody prosody" "command -v tcpdump tcpdump"
require_free_port

prosody_over_http bosh benvolio benvolio-bosh-pass

start_prosody

cat >"$WORK/bosh.py" <<'PYEOF'
import base64, http.client, random, re, sys

PORT = int(sys.argv[1])
NS = "xmlns='http://jabber.org/protocol/httpbind'"
XNS = "xmlns:xmpp='urn:xmpp:xbosh'"
conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=15)
rid = random.randint(1_000_000, 9_000_000)
sid = None

def post(attrs, payload=""):
    global rid
    rid += 1
    a = f"rid='{rid}' " + (f"sid='{sid}' " if sid else "") + attrs
    body = f"<body {a} {NS}>{payload}</body>" if payload else f"<body {a} {NS}/>"
    conn.request("POST", "/http-bind", body.encode(),
                 {"Content-Type": "text/xml; charset=utf-8"})
    r = conn.getresponse()
    text = r.read().decode()
    print(f"{r.status} {text[:150]}", file=sys.stderr)
    if r.status != 200:
        sys.exit(f"HTTP {r.status}")
    return text

# 1. session creation
t = post(f"content='text/xml; charset=utf-8' hold='1' to='localhost' wait='5' "
         f"xml:lang='en' xmpp:version='1.0' {XNS}")
sid = re.search(r"sid='([^']+)'", t).group(1)
if "PLAIN" not in t:
    t = post("")  # features can come in the next answer
# 2. SASL PLAIN
cred = base64.b64encode(b"\0benvolio\0benvolio-bosh-pass").decode()
t = post("", f"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{cred}</auth>")
if "<success" not in t:
    sys.exit("auth failed")
# 3. restart
t = post(f"to='localhost' xml:lang='en' xmpp:restart='true' {XNS}")
# 4. bind
t = post("", "<iq type='set' id='bind_1' xmlns='jabber:client'>"
             "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>bosh</resource></bind></iq>")
jid = re.search(r"<jid>([^<]+)</jid>", t).group(1)
# 5. one message to ourselves: the answer carries it back
t = post("", f"<message to='{jid}' type='chat' id='m1' xmlns='jabber:client'>"
             "<body>hello over BOSH</body></message>")
if "hello over BOSH" not in t:
    t = post("")
    if "hello over BOSH" not in t:
        sys.exit("message did not come back")
# 6. terminate
post("type='terminate'", "<presence type='unavailable' xmlns='jabber:client'/>")
conn.close()
PYEOF

capture_while /usr/bin/python3 "$WORK/bosh.py" "$PORT"
