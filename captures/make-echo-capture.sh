#!/usr/bin/env bash
# make-echo-capture.sh: capture xmppsniff's own echo server and client in every mode (issue 7).
#
# Run as root (tcpdump needs it), from anywhere:   sudo bash captures/make-echo-capture.sh
#
# Starts `xmppsniff echo-server --port 17101 --idle-timeout 1 --max-per-client 2`, captures lo with
# `tcpdump -i lo -U --immediate-mode -w captures/echo-modes.pcap 'port 17101'`, and runs the echo
# client in short, long and udp modes, then opens three concurrent connections from one address:
# two are held idle until the server closes them, the third is reset by the per-client limit.
# All traffic is 127.0.0.1 <-> 127.0.0.1:17101. See captures/README.md for what each flow must show.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/captures/echo-modes.pcap"
PORT=17101

NAME=make-echo-capture.sh
source "$REPO/captures/capture-common.sh"
need_root
install_missing "command -v tcpdump tcpdump"

WORK="$(mktemp -d /tmp/make-echo-capture.XXXXXX)"
SERVER_PID="" TCPDUMP_PID=""
cleanup() {
    [[ -n "$TCPDUMP_PID" ]] && { kill -INT "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; }
    [[ -n "$SERVER_PID" ]] && { kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
    rm -rf "$WORK" "$OUT.tmp"
}
trap cleanup EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cd "$REPO"
dotnet build src/XmppSniff -v q -nologo >"$WORK/build.log" || { cat "$WORK/build.log" >&2; exit 1; }
XMPPSNIFF=(dotnet run --no-build --project src/XmppSniff --)

if ss -Htuln "( sport = :$PORT )" | grep -q .; then
    echo "port $PORT is in use; free it and rerun" >&2
    exit 1
fi

# The server first (it says "listening" once bound), then tcpdump: no probe connection is captured.
# Started directly (not through a shell function), so $! is dotnet run itself, which passes SIGTERM on.
"${XMPPSNIFF[@]}" echo-server --port "$PORT" --idle-timeout 1 --max-per-client 2 --grace 1 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 200); do grep -q '^listening' "$WORK/server.log" && break; sleep 0.05; done
grep -q '^listening' "$WORK/server.log" || { cat "$WORK/server.log" >&2; exit 1; }

tcpdump -i lo -U --immediate-mode -s 0 -n -Z root -w "$OUT.tmp" "port $PORT" 2>"$WORK/tcpdump.log" &
TCPDUMP_PID=$!
for _ in $(seq 200); do grep -q 'listening on' "$WORK/tcpdump.log" && break; sleep 0.05; done
sleep 0.3 # the filter is attached; give the socket a moment more

client() { "${XMPPSNIFF[@]}" echo-client --port "$PORT" "$@"; }

# 1-3. short: 3 connections, one 64-byte echo each, client closes first
client --mode short --count 3 --size 64 --interval 100
sleep 0.2
# 4. long: one connection, 10 echoes of 100 bytes 50 ms apart (under the 1 s idle timeout), client closes
client --mode long --count 10 --size 100 --interval 50
sleep 0.2
# 5. udp: one socket, 5 datagrams of 48 bytes
client --mode udp --count 5 --size 48 --interval 50
sleep 0.2
# 6-8. three long connections at once from 127.0.0.1, one 32-byte echo each, then held idle up to 3 s.
# The server admits two (max-per-client 2) and closes them after 1 s idle (FIN); the third it accepts
# and resets at once (RST). One client process opens all three, so they are truly concurrent (a second
# `dotnet run` takes longer to start than the idle timeout). The client exits 1: one message failed.
client --mode long --count 3 --concurrency 3 --size 32 --hold 3000 --format json >"$WORK/held.json" || true
cat "$WORK/held.json"
if ! grep -q '"ok":2,"failed":1,"lost":0,"connections":[23],"closed_by_server":2' "$WORK/held.json"; then
    echo "make-echo-capture.sh: expected 2 idle-closed connections and 1 refused" >&2
    exit 1
fi

sleep 0.5 # let the last ACKs reach the capture
kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=""
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
mv -f "$OUT.tmp" "$OUT"
chmod 644 "$OUT"
echo "--- server log"
cat "$WORK/server.log"
echo "wrote $(basename "$OUT") ($(stat -c %s "$OUT") bytes)"
