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

if [[ $(id -u) -ne 0 ]]; then
    echo "make-xmpp-bosh-capture.sh: run as root (tcpdump must open lo)" >&2
    exit 1
fi

need=()
command -v prosody >/dev/null 2>&1 || need+=(prosody)
command -v tcpdump >/dev/null 2>&1 || need+=(tcpdump)
if ((${#need[@]})); then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}"
fi
if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
    echo "make-xmpp-bosh-capture.sh: port $PORT is already in use" >&2
    exit 1
fi

WORK="$(mktemp -d /tmp/make-xmpp-bosh-capture.XXXXXX)"
PROSODY_PID=""
TCPDUMP_PID=""
cleanup() {
    if [[ -n "$TCPDUMP_PID" ]]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; fi
    if [[ -n "$PROSODY_PID" ]]; then kill "$PROSODY_PID" 2>/dev/null || true; wait "$PROSODY_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/data" "$WORK/certs"  # certs: prosodyctl indexes it (empty)
chmod 777 "$WORK" "$WORK/data"
cat >"$WORK/prosody.cfg.lua" <<EOF
-- BOSH on plain HTTP, loopback only, for captures.
run_as_root = true
pidfile = "$WORK/prosody.pid"
data_path = "$WORK/data"
certificates = "$WORK/certs"
log = { debug = "$WORK/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { }
s2s_ports = { }
http_ports = { $PORT }
http_interfaces = { "127.0.0.1" }
https_ports = { }
consider_bosh_secure = true
cross_domain_bosh = true
c2s_require_encryption = false
authentication = "internal_hashed"
modules_enabled = { "roster", "saslauth", "disco", "ping", "presence", "bosh", "posix" }
modules_disabled = { "tls", "s2s" }
VirtualHost "localhost"
EOF

export PROSODY_CONFIG="$WORK/prosody.cfg.lua"
prosodyctl --config "$WORK/prosody.cfg.lua" register benvolio localhost benvolio-bosh-pass

prosody --config "$WORK/prosody.cfg.lua" -F >"$WORK/prosody.out" 2>&1 &
PROSODY_PID=$!
for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break  # one probe before tcpdump starts: not captured
    sleep 0.1
done

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

tcpdump -i lo -U --immediate-mode -s 0 -n -w "$OUT.tmp" "tcp port $PORT" 2>"$WORK/tcpdump.err" &
TCPDUMP_PID=$!
until grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null; do sleep 0.1; done
sleep 0.3
/usr/bin/python3 "$WORK/bosh.py" "$PORT"
sleep 0.5
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID" || true
TCPDUMP_PID=""
mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
