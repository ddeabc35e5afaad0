#!/usr/bin/env bash
# make-captures.sh: make small sample captures from real programs talking over loopback.
#
# Run as root (tcpdump needs it):   sudo bash captures/make-captures.sh
#
# Every capture is taken with `tcpdump -i lo -w FILE -U` and a BPF filter on the ports
# of that capture only, while Python socket peers, `python3 -m http.server` and curl talk
# on 127.0.0.1. Each capture uses its own high ports (170xx), so captures never mix.
# The script is idempotent: each run rewrites the same files in the same shape (same
# flows, same TCP endings, same UDP/ICMP exchanges); only ephemeral client ports,
# timestamps, sequence numbers and the odd delayed ACK differ between runs.
# See captures/README.md for what each file holds and what an analyzer must report.
set -euo pipefail

OUT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ADDR=127.0.0.1

NAME=make-captures.sh
source "$OUT_DIR/capture-common.sh"
need_root

# ---------------------------------------------------------------- tools
install_missing "command -v tcpdump tcpdump" "command -v curl curl" "command -v python3 python3"
PY="$(python3_path)"
TCPDUMP="$(command -v tcpdump)"

WORK="$(mktemp -d /tmp/make-captures.XXXXXX)"
BG_PIDS=()
TCPDUMP_PID=""

cleanup() {
    local p
    if [[ -n "$TCPDUMP_PID" ]]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; fi
    for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- python peers
# One small program for all servers and clients, so each flow's shape is fixed.
cat >"$WORK/peers.py" <<'PYEOF'
import socket, socketserver, struct, sys, threading, time

ADDR = "127.0.0.1"
LINGER_ABORT = struct.pack("ii", 1, 0)   # SO_LINGER on, 0 s: close() sends RST


def abort(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_ABORT)
    sock.close()


def recv_line(sock):
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        buf += chunk
    return buf


def ready(path):
    with open(path, "w") as f:
        f.write("ready\n")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def tcp_server(port, mode, ready_path):
    """mode: echo        echo lines until the client closes, then close (FIN).
             idle-close  echo lines; after 1 s without data, close (server FIN).
             abort-after read 'request' line, answer, wait for 'bye' line, abort (RST)."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            s = self.request
            if mode == "idle-close":
                s.settimeout(1.0)
            try:
                if mode == "abort-after":
                    line = recv_line(s)
                    s.sendall(b"reply: " + line)
                    recv_line(s)            # 'bye' from the client
                    time.sleep(0.1)         # let the client's data be ACKed first
                    abort(s)
                    return
                while True:
                    try:
                        data = s.recv(4096)
                    except socket.timeout:
                        break               # idle: we close first
                    except ConnectionResetError:
                        return              # client aborted; kernel already saw RST
                    if not data:
                        break               # client FIN
                    s.sendall(data)
            finally:
                try:
                    s.close()
                except OSError:
                    pass

        def finish(self):
            pass

    srv = Server((ADDR, port), Handler)
    ready(ready_path)
    srv.serve_forever()


def udp_server(port, ready_path):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ADDR, port))
    ready(ready_path)
    while True:
        data, peer = s.recvfrom(65535)
        s.sendto(data, peer)


# ------------------------------------------------------------------ clients
def client_short(port, n):
    for i in range(n):
        s = socket.create_connection((ADDR, port))
        s.sendall(b"short connection %d: hello echo\n" % (i + 1))
        echo = recv_line(s)
        assert echo.startswith(b"short connection"), echo
        s.close()                           # client FIN first
        time.sleep(0.2)


def client_long(port, n, gap):
    s = socket.create_connection((ADDR, port))
    for i in range(n):
        msg = b"request %02d of %d on one long connection\n" % (i + 1, n)
        s.sendall(msg)
        assert recv_line(s) == msg
        time.sleep(gap)
    s.close()                               # client FIN first


def client_idle(port, n, gap):
    s = socket.create_connection((ADDR, port))
    for i in range(n):
        msg = b"ping %d then idle\n" % (i + 1)
        s.sendall(msg)
        assert recv_line(s) == msg
        time.sleep(gap)
    s.settimeout(5.0)
    assert s.recv(4096) == b""              # server closed after 1 s idle (server FIN)
    time.sleep(0.1)
    s.close()                               # our FIN answers the server's


def client_refused(port, n):
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.connect((ADDR, port))
            raise SystemExit("port %d unexpectedly open" % port)
        except ConnectionRefusedError:
            pass
        finally:
            s.close()
        time.sleep(0.2)


def client_abort(port):
    s = socket.create_connection((ADDR, port))
    for i in range(3):
        msg = b"data %d before client abort\n" % (i + 1)
        s.sendall(msg)
        assert recv_line(s) == msg
        time.sleep(0.05)
    time.sleep(0.1)
    abort(s)                                # client RST


def client_server_aborts(port):
    s = socket.create_connection((ADDR, port))
    s.sendall(b"request before server abort\n")
    assert recv_line(s).startswith(b"reply: ")
    s.sendall(b"bye\n")
    s.settimeout(5.0)
    try:
        data = s.recv(4096)
        assert data == b"", data
        raise SystemExit("expected RST from server, got FIN")
    except ConnectionResetError:
        pass                                # server RST
    s.close()


def client_udp(port, n, tag):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2.0)
    for i in range(n):
        msg = b"udp client %s datagram %02d" % (tag.encode(), i + 1)
        s.sendto(msg, (ADDR, port))
        data, _ = s.recvfrom(65535)
        assert data == msg
        time.sleep(0.05)
    s.close()


def client_udp_nolistener(port, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)   # unconnected: ICMP error is not raised
    for i in range(n):
        s.sendto(b"datagram %d to a closed port" % (i + 1), (ADDR, port))
        time.sleep(0.2)
    s.close()


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "tcp-server":
        tcp_server(int(args[0]), args[1], args[2])
    elif cmd == "udp-server":
        udp_server(int(args[0]), args[1])
    elif cmd == "short":
        client_short(int(args[0]), int(args[1]))
    elif cmd == "long":
        client_long(int(args[0]), int(args[1]), float(args[2]))
    elif cmd == "idle":
        client_idle(int(args[0]), int(args[1]), float(args[2]))
    elif cmd == "refused":
        client_refused(int(args[0]), int(args[1]))
    elif cmd == "abort":
        client_abort(int(args[0]))
    elif cmd == "server-aborts":
        client_server_aborts(int(args[0]))
    elif cmd == "udp":
        client_udp(int(args[0]), int(args[1]), args[2])
    elif cmd == "udp-nolistener":
        client_udp_nolistener(int(args[0]), int(args[1]))
    elif cmd == "listening":     # is anything bound to PORT (tcp or udp)? no packets sent
        port, proto = int(args[0]), args[1]
        hexport = ":%04X" % port
        with open("/proc/net/" + proto) as f:
            rows = [line.split() for line in f.readlines()[1:]]
        # tcp: state 0A = LISTEN; udp: any bound socket (state 07)
        hit = any(r[1].endswith(hexport) and (proto == "udp" or r[3] == "0A") for r in rows)
        sys.exit(0 if hit else 1)
    else:
        raise SystemExit("unknown command " + cmd)


main()
PYEOF

peers() { "$PY" "$WORK/peers.py" "$@"; }

# ---------------------------------------------------------------- helpers
# start a background server; wait until it says it is bound (no probe packets are sent)
start_server() {  # ready-file peers.py-args...
    local rf="$1"; shift
    rm -f "$rf"
    # run python directly (not via a shell function) so that $! is the server itself
    "$PY" "$WORK/peers.py" "$@" "$rf" >>"$WORK/servers.log" 2>&1 &
    BG_PIDS+=("$!")
    local i
    for ((i = 0; i < 100; i++)); do
        [[ -s "$rf" ]] && return 0
        sleep 0.05
    done
    echo "server did not start: $*" >&2
    exit 1
}

wait_listening() {  # port proto
    local i
    for ((i = 0; i < 100; i++)); do
        peers listening "$1" "$2" && return 0
        sleep 0.05
    done
    echo "nothing listening on $2 port $1" >&2
    exit 1
}

assert_closed() {  # port proto
    if peers listening "$1" "$2"; then
        echo "$2 port $1 is in use; free it and rerun" >&2
        exit 1
    fi
}

stop_servers() {
    local p
    for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    BG_PIDS=()
}

CUR_FILE=""
start_capture() {  # file filter
    CUR_FILE="$OUT_DIR/$1"
    local log="$WORK/tcpdump.log"
    rm -f "$CUR_FILE.tmp" "$log"
    # -U with --immediate-mode: every packet is handed over and written at once. Without
    # immediate mode libpcap's TPACKET_V3 ring holds packets up to 1 s, and those still in
    # the ring at SIGINT are lost (the last flows went missing that way).
    # -Z root: write the file as root (Debian's tcpdump otherwise drops to user tcpdump)
    "$TCPDUMP" -i lo -U --immediate-mode -s 0 -n -Z root -w "$CUR_FILE.tmp" "$2" 2>"$log" &
    TCPDUMP_PID=$!
    local i
    for ((i = 0; i < 200; i++)); do
        if grep -q "listening on" "$log" 2>/dev/null; then
            sleep 0.3          # the filter is attached; give the socket a moment more
            return 0
        fi
        if ! kill -0 "$TCPDUMP_PID" 2>/dev/null; then break; fi
        sleep 0.05
    done
    cat "$log" >&2
    echo "tcpdump did not start for $1" >&2
    exit 1
}

stop_capture() {
    sleep 0.5                  # let the last ACKs/FINs/ICMP reach the capture
    kill -INT "$TCPDUMP_PID"
    wait "$TCPDUMP_PID" || true
    TCPDUMP_PID=""
    mv -f "$CUR_FILE.tmp" "$CUR_FILE"
    chmod 644 "$CUR_FILE"
    echo "wrote $(basename "$CUR_FILE") ($(stat -c %s "$CUR_FILE") bytes)"
}

# ---------------------------------------------------------------- 1. short TCP connections
# echo server on 17001; 5 clients: connect, send a line, read the echo, close (client FIN).
capture_short() {
    assert_closed 17001 tcp
    start_server "$WORK/r1" tcp-server 17001 echo
    start_capture tcp-short-connections.pcap "tcp port 17001"
    peers short 17001 5
    stop_capture
    stop_servers
}

# ---------------------------------------------------------------- 2. long TCP connections
# 17011: one connection, 20 echo exchanges 50 ms apart, client closes.
# 17012: one connection, 3 exchanges, then idle; server closes after 1 s idle.
capture_long() {
    assert_closed 17011 tcp; assert_closed 17012 tcp
    start_server "$WORK/r2a" tcp-server 17011 echo
    start_server "$WORK/r2b" tcp-server 17012 idle-close
    start_capture tcp-long-connection.pcap "tcp port 17011 or tcp port 17012"
    peers long 17011 20 0.05
    sleep 0.2
    peers idle 17012 3 0.05
    stop_capture
    stop_servers
}

# ---------------------------------------------------------------- 3. refused connections
# nothing listens on 17021: 3 connects, each SYN -> RST/ACK.
capture_refused() {
    assert_closed 17021 tcp
    start_capture tcp-refused.pcap "tcp port 17021"
    peers refused 17021 3
    stop_capture
}

# ---------------------------------------------------------------- 4. aborted connections
# 17031: echo server; client exchanges 3 lines then aborts (RST from client).
# 17032: server answers, reads 'bye', then aborts (RST from server).
capture_reset() {
    assert_closed 17031 tcp; assert_closed 17032 tcp
    start_server "$WORK/r4a" tcp-server 17031 echo
    start_server "$WORK/r4b" tcp-server 17032 abort-after
    start_capture tcp-reset.pcap "tcp port 17031 or tcp port 17032"
    peers abort 17031
    sleep 0.2
    peers server-aborts 17032
    stop_capture
    stop_servers
}

# ---------------------------------------------------------------- 5. UDP
# UDP echo on 17041: client A 10 datagrams, client B 3 datagrams (each echoed);
# 2 datagrams to 17042 where nothing listens -> 2 ICMP port unreachable.
capture_udp() {
    assert_closed 17041 udp; assert_closed 17042 udp
    start_server "$WORK/r5" udp-server 17041
    start_capture udp-datagrams.pcap \
        "udp port 17041 or udp port 17042 or (icmp and icmp[icmptype] == icmp-unreach)"
    peers udp 17041 10 A
    sleep 0.1
    peers udp 17041 3 B
    sleep 0.1
    peers udp-nolistener 17042 2
    stop_capture
    stop_servers
}

# ---------------------------------------------------------------- 6. HTTP
# python3 -m http.server (HTTP/1.1 so keep-alive works) serving a tiny directory; curl:
#  a) 3 GETs on one keep-alive connection, b) Connection: close, c) HTTP/1.0,
#  d) POST (SimpleHTTPRequestHandler has no do_POST: 501), e) a 404.
capture_http() {
    assert_closed 17051 tcp
    local www="$WORK/www"
    mkdir -p "$www"
    printf '<html><body><h1>XmppSniff test page</h1><a href="a.txt">a</a></body></html>\n' >"$www/index.html"
    printf 'file a: %s\n' "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" >"$www/a.txt"
    printf 'file b: %s\n' "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" >"$www/b.txt"
    "$PY" -m http.server 17051 --bind "$ADDR" --directory "$www" --protocol HTTP/1.1 \
        >"$WORK/http.log" 2>&1 &
    BG_PIDS+=("$!")
    wait_listening 17051 tcp
    local base="http://$ADDR:17051"
    local c=(curl -sS -o /dev/null --max-time 10)
    start_capture http-python-curl.pcap "tcp port 17051"
    "${c[@]}" -o /dev/null -o /dev/null "$base/index.html" "$base/a.txt" "$base/b.txt"  # one keep-alive connection
    sleep 0.2
    "${c[@]}" -H 'Connection: close' "$base/a.txt"
    sleep 0.2
    "${c[@]}" --http1.0 "$base/b.txt"
    sleep 0.2
    "${c[@]}" -d 'name=xmppsniff&value=42' "$base/form"
    sleep 0.2
    "${c[@]}" "$base/no-such-file.txt"
    stop_capture
    stop_servers
}

capture_short
capture_long
capture_refused
capture_reset
capture_udp
capture_http

if command -v tshark >/dev/null 2>&1; then
    echo
    echo "flow counts (tshark conv tables):"
    for f in tcp-short-connections tcp-long-connection tcp-refused tcp-reset udp-datagrams http-python-curl; do
        tcp=$(tshark -r "$OUT_DIR/$f.pcap" -q -z conv,tcp 2>/dev/null | grep -c '<->' || true)
        udp=$(tshark -r "$OUT_DIR/$f.pcap" -q -z conv,udp 2>/dev/null | grep -c '<->' || true)
        pk=$(tshark -r "$OUT_DIR/$f.pcap" 2>/dev/null | wc -l)
        printf '  %-28s tcp=%s udp=%s packets=%s\n' "$f.pcap" "$tcp" "$udp" "$pk"
    done
fi
