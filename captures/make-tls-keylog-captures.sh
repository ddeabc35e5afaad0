#!/usr/bin/env bash
# make-tls-keylog-captures.sh: encrypted sessions with the key logs that decrypt them, made by
# real software on 127.0.0.1 (Debian's prosody, python3-slixmpp, curl, openssl, python3).
#
# Run as root (tcpdump must open lo):   sudo bash captures/make-tls-keylog-captures.sh
#
# Writes, each .pcap next to the .keylog its clients wrote through SSLKEYLOGFILE (NSS key log
# format; the keys belong to throw-away loopback sessions and a self-signed certificate made in
# a temp dir and deleted at the end, so they are test data, not secrets):
#   xmpp-tls13.pcap/.keylog  prosody + slixmpp: one STARTTLS session (TLS 1.3) on 15224 and one
#                            direct TLS session (XEP-0368) on 15225. Each logs in with SCRAM-SHA-1,
#                            binds, sends itself a message, waits for it and closes.
#   xmpp-tls12.pcap/.keylog  the same STARTTLS session four times, forced to TLS 1.2 with the
#                            client offering one suite each: ECDHE-RSA-AES128-GCM-SHA256,
#                            ECDHE-RSA-CHACHA20-POLY1305, ECDHE-RSA-AES256-SHA384 (CBC; OpenSSL
#                            negotiates encrypt-then-MAC) and ECDHE-RSA-AES128-SHA (CBC with
#                            encrypt-then-MAC switched off: MAC-then-encrypt).
#   https-curl.pcap/.keylog  python3 http.server wrapped in ssl on 17061; curl fetches /a.txt with
#                            TLS 1.3 (AES-256-GCM), TLS 1.3 ChaCha20-Poly1305, TLS 1.2 (AES-GCM)
#                            and TLS 1.2 ECDHE-RSA-AES128-SHA256 (CBC); then `openssl s_client`
#                            sends two requests on one TLS 1.3 connection with a KeyUpdate
#                            (its "K" command) between them.
#
# Test password only: juliet / juliet-keylog-pass.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT=15224          # STARTTLS
DIRECT=15225        # direct TLS
HTTPS=17061

NAME=make-tls-keylog-captures.sh
source "$DIR/prosody-capture-lib.sh"
need_root
install_missing "command -v prosody prosody" "command -v tcpdump tcpdump" "command -v openssl openssl" \
    "command -v curl curl" "/usr/bin/python3 -c 'import slixmpp' python3-slixmpp"
require_free_port

mkdir -p "$WORK/data" "$WORK/certs" "$WORK/www"
chmod 777 "$WORK" "$WORK/data"
self_signed_localhost

{
    prosody_config_head
    cat <<EOF
c2s_direct_tls_ports = { $DIRECT }
s2s_ports = { }
c2s_require_encryption = true
authentication = "internal_hashed"
modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "presence", "posix" }
modules_disabled = { "s2s" }
ssl = { certificate = "$WORK/localhost.crt", key = "$WORK/localhost.key", ciphers = "HIGH:!aNULL" }  -- CBC suites too
VirtualHost "localhost"
    ssl = { certificate = "$WORK/localhost.crt", key = "$WORK/localhost.key", ciphers = "HIGH:!aNULL" }  -- CBC suites too
EOF
} >"$WORK/prosody.cfg.lua"
export PROSODY_CONFIG="$WORK/prosody.cfg.lua"
prosodyctl --config "$WORK/prosody.cfg.lua" register juliet localhost juliet-keylog-pass
start_prosody

# One XMPP session; the TLS it uses is the second argument. Python's ssl.create_default_context
# (which slixmpp uses) writes the key log named by SSLKEYLOGFILE.
cat >"$WORK/session.py" <<'PYEOF'
import asyncio, ssl, sys
import slixmpp

PORT, MODE = int(sys.argv[1]), sys.argv[2]
SUITES = {"tls12-gcm": "ECDHE-RSA-AES128-GCM-SHA256", "tls12-chacha": "ECDHE-RSA-CHACHA20-POLY1305",
          "tls12-cbc-etm": "ECDHE-RSA-AES256-SHA384", "tls12-cbc-mte": "ECDHE-RSA-AES128-SHA"}
NO_ENCRYPT_THEN_MAC = 0x00080000  # OpenSSL's SSL_OP_NO_ENCRYPT_THEN_MAC (Python has no name for it)

async def main():
    c = slixmpp.ClientXMPP("juliet@localhost/" + MODE, "juliet-keylog-pass", sasl_mech=None if MODE.startswith("tls12") else "SCRAM-SHA-1")
    ctx = c.ssl_context
    ctx.check_hostname = False          # self-signed test certificate
    ctx.verify_mode = ssl.CERT_NONE
    if MODE.startswith("tls12"):
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        c.ciphers = SUITES[MODE]
        if MODE == "tls12-cbc-mte":
            ctx.options |= NO_ENCRYPT_THEN_MAC
    ready, got = asyncio.Event(), asyncio.Event()
    c.add_event_handler("session_start", lambda _e: ready.set())
    c.add_event_handler("message", lambda m: got.set() if m["body"] == "hello over " + MODE else None)
    direct = MODE == "direct"
    c.connect(("127.0.0.1", PORT), use_ssl=direct, force_starttls=not direct, disable_starttls=direct)
    await asyncio.wait_for(ready.wait(), 10)
    tls = c.transport.get_extra_info("ssl_object")
    print(MODE + ":", tls.version(), tls.cipher()[0], file=sys.stderr)
    c.send_presence()
    c.send_message(mto="juliet@localhost/" + MODE, mbody="hello over " + MODE, mtype="chat")
    await asyncio.wait_for(got.wait(), 10)
    c.disconnect()
    await c.disconnected

asyncio.run(main())
PYEOF

xmpp_sessions() {
    local mode
    for mode in "$@"; do
        local port=$PORT
        [[ $mode == direct ]] && port=$DIRECT
        /usr/bin/python3 "$WORK/session.py" "$port" "$mode"
        sleep 0.2
    done
}

run_capture() {  # name filter command...
    local name=$1 filter=$2; shift 2
    OUT="$DIR/$name.pcap" FILTER="$filter"
    rm -f "$DIR/$name.keylog"
    SSLKEYLOGFILE="$DIR/$name.keylog" capture_while "$@"
    chmod 644 "$OUT" "$DIR/$name.keylog"
    echo "wrote $DIR/$name.keylog ($(wc -l <"$DIR/$name.keylog") lines)"
}

export -f xmpp_sessions
run_capture xmpp-tls13 "tcp port $PORT or tcp port $DIRECT" xmpp_sessions tls13 direct
run_capture xmpp-tls12 "tcp port $PORT" xmpp_sessions tls12-gcm tls12-chacha tls12-cbc-etm tls12-cbc-mte

# HTTPS: python3's http.server behind ssl (its own context logs no keys), curl and openssl log them.
printf 'file a over TLS\n' >"$WORK/www/a.txt"
printf 'file b over TLS, after a KeyUpdate\n' >"$WORK/www/b.txt"
cat >"$WORK/https.py" <<'PYEOF'
import http.server, ssl, sys, functools
port, cert, key, root, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=root))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
open(ready, "w").write("ready\n")
srv.serve_forever()
PYEOF
/usr/bin/python3 "$WORK/https.py" $HTTPS "$WORK/localhost.crt" "$WORK/localhost.key" "$WORK/www" "$WORK/https.ready" &
HTTPS_PID=$!
trap 'kill $HTTPS_PID 2>/dev/null || true; cleanup' EXIT
until [[ -s "$WORK/https.ready" ]]; do sleep 0.1; done

https_clients() {
    local url="https://localhost:$HTTPS/a.txt" c=(curl -sS -k --max-time 10 -o /dev/null --resolve "localhost:$HTTPS:127.0.0.1")
    "${c[@]}" --tlsv1.3 "$url"; sleep 0.2
    "${c[@]}" --tlsv1.3 --tls13-ciphers TLS_CHACHA20_POLY1305_SHA256 "$url"; sleep 0.2
    "${c[@]}" --tlsv1.2 --tls-max 1.2 "$url"; sleep 0.2
    "${c[@]}" --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-RSA-AES128-SHA256 "$url"; sleep 0.2
    # Two requests on one TLS 1.3 connection, a KeyUpdate (s_client's "K" line) between them.
    { printf 'GET /a.txt HTTP/1.1\nHost: localhost\n\n'; sleep 0.5; printf 'K\n'; sleep 0.5
      printf 'GET /b.txt HTTP/1.1\nHost: localhost\nConnection: close\n\n'; sleep 1; } |
        openssl s_client -connect 127.0.0.1:$HTTPS -servername localhost -tls1_3 -crlf -keylogfile "$SSLKEYLOGFILE" >"$WORK/s_client.out" 2>&1 || true
    grep -c 'file . over TLS' "$WORK/s_client.out" >&2 || true
}
export -f https_clients
export HTTPS WORK
run_capture https-curl "tcp port $HTTPS" https_clients

# The TLS 1.2 capture again as pcapng with its key log inside (a Decryption Secrets Block), made by
# Wireshark's editcap: decrypts with no --keylog.
install_missing "command -v editcap wireshark-common"
editcap --inject-secrets "tls,$DIR/xmpp-tls12.keylog" "$DIR/xmpp-tls12.pcap" "$DIR/xmpp-tls12-dsb.pcapng"
chmod 644 "$DIR/xmpp-tls12-dsb.pcapng"
echo "wrote $DIR/xmpp-tls12-dsb.pcapng"
