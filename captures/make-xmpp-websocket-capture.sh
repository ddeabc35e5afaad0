#!/usr/bin/env bash
# make-xmpp-websocket-capture.sh: XMPP over WebSocket (RFC 7395) from a real server (Debian's prosody with
# mod_websocket) and a small Python client written with the socket and ssl modules, on 127.0.0.1.
#
# Run as root (tcpdump must open lo):   sudo bash captures/make-xmpp-websocket-capture.sh
#
# Writes captures/xmpp-websocket.pcap: one HTTP/1.1 connection to 127.0.0.1:5280, GET /xmpp-websocket upgraded to
# WebSocket with the "xmpp" subprotocol, then, one element per text message (client frames masked, as RFC 6455
# requires): <open/>, SASL PLAIN, <open/> again after <success/>, resource bind, one chat message to the client's
# own full JID after a WebSocket ping (it comes back), an XMPP ping iq, <close/>. No TLS:
# consider_websocket_secure = true lets prosody offer PLAIN over plain HTTP.
# And captures/xmpp-websocket-tls.pcap with .keylog: the same session over HTTPS on 5281 (wss://, as browsers
# connect), with the key log the client wrote (Python's ssl keylog_filename; a self-signed certificate made here).
#
# Test password only (never a real one): paris / paris-ws-pass.
# Prosody runs in the foreground from a config written to a temp dir; HTTP on 127.0.0.1:5280, HTTPS on 5281.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/xmpp-websocket.pcap"
PORT=5280
HTTPS_PORT=5281

NAME=make-xmpp-websocket-capture.sh
source "$(dirname "${BASH_SOURCE[0]}")/prosody-capture-lib.sh"
need_root
install_missing "command -v prosody prosody" "command -v tcpdump tcpdump" "command -v openssl openssl"
require_free_port

self_signed_localhost
prosody_over_http websocket paris paris-ws-pass

start_prosody

cp "$HERE/xmpp-websocket-client.py" "$WORK/ws.py"
capture_while /usr/bin/python3 "$WORK/ws.py" "$PORT"

OUT="$HERE/xmpp-websocket-tls.pcap" FILTER="tcp port $HTTPS_PORT" \
    capture_while /usr/bin/python3 "$WORK/ws.py" "$HTTPS_PORT" "$WORK/ws.keylog"
cp "$WORK/ws.keylog" "$HERE/xmpp-websocket-tls.keylog"
echo "wrote $HERE/xmpp-websocket-tls.keylog"
