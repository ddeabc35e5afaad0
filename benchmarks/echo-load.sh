#!/usr/bin/env bash
# echo-load.sh: load checks for `xmppsniff echo-server` on loopback (issue 7), bounded in time.
#
#   benchmarks/echo-load.sh [--no-build] [--port N]
#
# Phases, each a separate echo-client run against one echo-server (Release build):
#   1. short:  5,000 short connections (connect, 64-byte echo, close), 16 at a time -> connections/s
#   2. idle:   10,000 concurrent connections, one 16-byte echo each, then held idle 8 s;
#              the number of established server-side sockets is counted with `ss` while they idle
#   3. bulk:   500 concurrent connections echoing 1 MiB each, every byte checked -> MiB/s
#   4. udp:    20,000 datagrams of 512 bytes, 8 sockets -> datagrams/s, loss
# Needs `ulimit -n` of at least 10,240 per process (raised here up to the hard limit), python3 and ss.
# Traffic stays on 127.0.0.0/8. Each phase is cut off by `timeout` if it hangs. Results: a
# markdown table on stdout; logs and JSON in benchmarks/data/echo-load/.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=17190
BUILD=1
while (($#)); do
    case "$1" in
        --no-build) BUILD=0 ;;
        --port) PORT="$2"; shift ;;
        *) echo "usage: $0 [--no-build] [--port N]" >&2; exit 2 ;;
    esac
    shift
done

OUT=benchmarks/data/echo-load
mkdir -p "$OUT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ((BUILD)); then dotnet build -c Release src/XmppSniff -v q -nologo >"$OUT/build.log"; fi
XMPPSNIFF=(dotnet src/XmppSniff/bin/Release/net10.0/xmppsniff.dll)

hard=$(ulimit -Hn)
if [[ "$hard" != unlimited && "$hard" -lt 10240 ]]; then
    echo "echo-load.sh: the hard fd limit is $hard; 10,000 connections need more (ulimit -Hn)" >&2
    exit 1
fi
ulimit -n "$([[ "$hard" == unlimited ]] && echo 65536 || echo "$hard")"

SERVER_PID=""
stop_server() {
    if [[ -n "$SERVER_PID" ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi
}
trap stop_server EXIT

"${XMPPSNIFF[@]}" echo-server --port "$PORT" --quiet --grace 2 2>"$OUT/server.log" &
SERVER_PID=$!
for _ in $(seq 100); do grep -q '^listening' "$OUT/server.log" 2>/dev/null && break; sleep 0.1; done
grep -q '^listening' "$OUT/server.log" || { echo "echo-load.sh: the server did not start" >&2; cat "$OUT/server.log" >&2; exit 1; }

# run NAME SECONDS-LIMIT echo-client-args...: one client run, its JSON summary kept in $OUT/NAME.json
run() {
    local name=$1 limit=$2; shift 2
    timeout --signal=TERM "$limit" "${XMPPSNIFF[@]}" echo-client --port "$PORT" --format json "$@" \
        >"$OUT/$name.json" 2>"$OUT/$name.err" || true
    [[ -s "$OUT/$name.json" ]] || echo '{}' >"$OUT/$name.json"
}

run short 60 --mode short --count 5000 --concurrency 16 --size 64 --bind 127.0.50.1

# Hold 10,000 connections open and count them from the server's side while they idle.
run idle 90 --mode long --count 10000 --concurrency 10000 --size 16 --hold 8000 --timeout 30000 --bind 127.0.60.1 &
IDLE_PID=$!
peak_established=0
for _ in $(seq 40); do
    sleep 0.5
    n=$(ss -Htn state established "( sport = :$PORT )" | wc -l)
    ((n > peak_established)) && peak_established=$n
    kill -0 "$IDLE_PID" 2>/dev/null || break
done
wait "$IDLE_PID"

run bulk 120 --mode long --count 500 --concurrency 500 --size 1048576 --timeout 60000 --bind 127.0.70.1
run udp 60 --mode udp --count 20000 --concurrency 8 --size 512 --timeout 1000

stop_server
totals=$(grep '^totals' "$OUT/server.log" || echo "totals: (none)")

python3 - "$OUT" "$peak_established" "$totals" <<'PYEOF'
import json, sys
out, established, totals = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(name):
    try:
        with open(f"{out}/{name}.json") as f: return json.load(f)
    except (OSError, ValueError): return {}
def rate(r, n): return f"{r.get(n, 0) / r['seconds']:,.0f}" if r.get("seconds") else "-"
def mib(r): return f"{r.get('bytes', 0) / r['seconds'] / 2**20:,.1f}" if r.get("seconds") else "-"
rows = [
    ("short: 5,000 connections, 64 B", load("short"), lambda r: f"{rate(r, 'connections')} connections/s"),
    ("idle: 10,000 concurrent, held 8 s", load("idle"), lambda r: f"{established:,} established at the server; {rate(r, 'connections')} connections/s opening"),
    ("bulk: 500 concurrent × 1 MiB", load("bulk"), lambda r: f"{mib(r)} MiB/s echoed"),
    ("udp: 20,000 datagrams, 512 B", load("udp"), lambda r: f"{rate(r, 'ok')} datagrams/s, {r.get('lost', '-')} lost"),
]
print("| phase | ok | failed | p50 ms | p99 ms | max ms | seconds | result |")
print("|---|---|---|---|---|---|---|---|")
for name, r, result in rows:
    print(f"| {name} | {r.get('ok', '-')} | {r.get('failed', '-')} | {r.get('p50_ms', '-')} | {r.get('p99_ms', '-')} | "
          f"{r.get('max_ms', '-')} | {r.get('seconds', '-')} | {result(r)} |")
print()
print(f"server {totals}")
PYEOF
