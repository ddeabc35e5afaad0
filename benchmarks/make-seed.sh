#!/usr/bin/env bash
# Records the small seed capture used by the benchmark generator.
#
#   benchmarks/make-seed.sh [EXCHANGES]
#
# Runs a tiny Python TCP echo server on 127.0.0.1:$PORT and a client that opens
#   * 2 short connections, one message (and its echo) each,
#   * 1 long connection with EXCHANGES request/echo round trips (100-200 byte payloads),
# captures the loopback traffic with tcpdump and stores it as benchmarks/seed-echo.pcap.
# See benchmarks/README.md for how EXCHANGES was chosen (default 107).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
exchanges="${1:-${EXCHANGES:-107}}"
port="${PORT:-17007}"
data="$here/data"
raw="$data/seed-echo.pcap"
mkdir -p "$data"
rm -f "$raw"

command -v tcpdump >/dev/null || { echo "tcpdump is required" >&2; exit 1; }

server_py='
import socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(8)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    with c:
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while True:
            # quick-ack mode: the server ACKs each request at once (pure ACK),
            # then echoes it; the client piggybacks its ACK on the next request.
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            b = c.recv(65536)
            if not b:
                break
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            c.sendall(b)
'

client_py='
import random, socket, sys
port, exchanges = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(20240601)          # deterministic payloads
def payload():
    n = rng.randint(100, 200)
    return bytes(rng.randrange(32, 127) for _ in range(n))
def exchange(c, msg):
    c.sendall(msg)
    got = b""
    while len(got) < len(msg):
        b = c.recv(65536)
        if not b:
            raise SystemExit("server closed early")
        got += b
    assert got == msg
def connect():
    c = socket.create_connection(("127.0.0.1", port))
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return c
for _ in range(2):                      # two short connections
    with connect() as c:
        exchange(c, payload())
with connect() as c:                    # one long connection
    for _ in range(exchanges):
        exchange(c, payload())
print("client done", flush=True)
'

tcpdump -i lo --immediate-mode -U -s 0 -w "$raw" "tcp port $port" 2>"$data/tcpdump.log" &
tcpdump_pid=$!
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    kill -INT "$tcpdump_pid" 2>/dev/null || true
}
trap cleanup EXIT

# wait until tcpdump is listening
for _ in $(seq 50); do
    grep -q "listening on" "$data/tcpdump.log" 2>/dev/null && break
    sleep 0.1
done

python3 -c "$server_py" "$port" >"$data/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
    grep -q ready "$data/server.log" 2>/dev/null && break
    sleep 0.1
done

python3 -c "$client_py" "$port" "$exchanges"
sleep 1                                  # let the last FIN/ACKs reach tcpdump
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
trap - EXIT

cp "$raw" "$here/seed-echo.pcap"
if command -v capinfos >/dev/null; then
    capinfos -c -E -d -u "$here/seed-echo.pcap"
fi
if command -v tshark >/dev/null; then
    echo "TCP conversations: $(tshark -r "$here/seed-echo.pcap" -q -z conv,tcp | grep -c '<->')"
fi
