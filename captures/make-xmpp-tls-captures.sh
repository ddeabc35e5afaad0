#!/usr/bin/env bash
# make-xmpp-tls-captures.sh: an XMPP session that upgrades to TLS with STARTTLS, from a real
# server (Debian's prosody) and a real client (python3-slixmpp) on 127.0.0.1.
#
# Run as root (tcpdump must open lo):   sudo bash captures/make-xmpp-tls-captures.sh
#
# Writes captures/xmpp-starttls.pcap: the script makes a throw-away self-signed certificate
# (openssl req -x509 -newkey rsa:2048 -nodes -subj '/CN=localhost', in a temp dir, deleted at
# the end), prosody requires encryption (c2s_require_encryption = true), and slixmpp (which
# accepts the self-signed certificate: check_hostname off, CERT_NONE) sends <starttls/>, gets
# <proceed/>, does the TLS handshake, then logs in with SCRAM-SHA-1 inside TLS, binds, sends one
# message to itself, waits for it to come back, and closes the stream.
#
# Test password only (never a real one): mercutio / mercutio-tls-pass.
# Prosody runs in the foreground from a config written to a temp dir, on port 15223.
set -euo pipefail

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/xmpp-starttls.pcap"
PORT=15223

NAME=make-xmpp-tls-captures.sh
source "$(dirname "${BASH_SOURCE[0]}")/prosody-capture-lib.sh"
need_root
install_missing "command -v prosody prosody" "command -v tcpdump tcpdump" "command -v openssl openssl" "/usr/bin/python3 -c 'import slixmpp' python3-slixmpp"
require_free_port

mkdir -p "$WORK/data" "$WORK/certs"  # certs: prosodyctl indexes it (empty)
chmod 777 "$WORK" "$WORK/data"
self_signed_localhost

{
    echo "-- STARTTLS required on loopback, self-signed certificate made by the script."
    prosody_config_head
    cat <<EOF
s2s_ports = { }
c2s_require_encryption = true
s2s_require_encryption = false
authentication = "internal_hashed"
modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "presence", "posix" }
modules_disabled = { "s2s" }
VirtualHost "localhost"
    ssl = { certificate = "$WORK/localhost.crt", key = "$WORK/localhost.key" }
EOF
} >"$WORK/prosody.cfg.lua"

export PROSODY_CONFIG="$WORK/prosody.cfg.lua"
prosodyctl --config "$WORK/prosody.cfg.lua" register mercutio localhost mercutio-tls-pass

start_prosody

cat >"$WORK/session.py" <<'PYEOF'
import asyncio, ssl, sys
import slixmpp

PORT = int(sys.argv[1])

async def main():
    c = slixmpp.ClientXMPP("mercutio@localhost/tls", "mercutio-tls-pass", sasl_mech="SCRAM-SHA-1")
    # Self-signed test certificate: do not verify it.
    c.ssl_context.check_hostname = False
    c.ssl_context.verify_mode = ssl.CERT_NONE
    info = {}
    c.add_event_handler("ssl_cert", lambda _pem: info.update(tls=True))
    ready, got = asyncio.Event(), asyncio.Event()
    c.add_event_handler("session_start", lambda _e: ready.set())
    c.add_event_handler("message", lambda m: got.set() if m["body"] == "over TLS" else None)
    c.connect(("127.0.0.1", PORT), force_starttls=True)
    await asyncio.wait_for(ready.wait(), 10)
    if not info.get("tls"):
        sys.exit("session started without TLS")
    tls = c.transport.get_extra_info("ssl_object")
    print("TLS:", tls.version(), tls.cipher()[0], file=sys.stderr)
    c.send_presence()
    c.send_message(mto="mercutio@localhost/tls", mbody="over TLS", mtype="chat")
    await asyncio.wait_for(got.wait(), 10)
    c.disconnect()
    await c.disconnected

asyncio.run(main())
PYEOF

capture_while /usr/bin/python3 "$WORK/session.py" "$PORT"
