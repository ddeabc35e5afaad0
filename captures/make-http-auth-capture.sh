#!/usr/bin/env bash
# make-http-auth-capture.sh: HTTP requests that carry credentials, for the secrets tests.
#
# Run as root (tcpdump needs it):   sudo bash captures/make-http-auth-capture.sh
#
# `python3 -m http.server` on 127.0.0.1:17061 serves a tiny directory; curl sends, each on its
# own connection: Basic credentials (-u), a cookie (-b), both, and a bearer token (-H). The
# server ignores them all (it answers 200 or 404), which is fine: the point is that the
# requests carry them. Test credentials only (never real ones):
#   Basic tybalt:tybalt-basic-pass, cookie session=capulet-cookie-secret; theme=dark,
#   Bearer montague-bearer-token.
# Writes captures/http-auth-cookie.pcap (pcap, Ethernet on lo, IPv4).
set -euo pipefail

OUT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ADDR=127.0.0.1
PORT=17061
FILE=http-auth-cookie.pcap

NAME=make-http-auth-capture.sh
source "$OUT_DIR/capture-common.sh"
need_root
install_missing "command -v tcpdump tcpdump" "command -v curl curl" "command -v python3 python3"
PY="$(python3_path)"

WORK="$(mktemp -d /tmp/make-http-auth.XXXXXX)"
SERVER_PID=""
TCPDUMP_PID=""
cleanup() {
    if [[ -n "$TCPDUMP_PID" ]]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; fi
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

if (exec 3<>"/dev/tcp/$ADDR/$PORT") 2>/dev/null; then
    echo "tcp port $PORT is in use; free it and rerun" >&2
    exit 1
fi

mkdir -p "$WORK/www"
printf 'private page\n' >"$WORK/www/private.txt"
"$PY" -m http.server "$PORT" --bind "$ADDR" --directory "$WORK/www" --protocol HTTP/1.1 >"$WORK/http.log" 2>&1 &
SERVER_PID=$!
for ((i = 0; i < 100; i++)); do
    (exec 3<>"/dev/tcp/$ADDR/$PORT") 2>/dev/null && break  # this probe is made before tcpdump starts
    sleep 0.05
done

# Same tcpdump flags as make-captures.sh (see captures/README.md for why).
tmp="$OUT_DIR/$FILE.tmp"
tcpdump -i lo -U --immediate-mode -s 0 -n -Z root -w "$tmp" "tcp port $PORT" 2>"$WORK/tcpdump.log" &
TCPDUMP_PID=$!
for ((i = 0; i < 200; i++)); do
    grep -q "listening on" "$WORK/tcpdump.log" 2>/dev/null && break
    sleep 0.05
done
sleep 0.3

base="http://$ADDR:$PORT"
c=(curl -sS -o /dev/null --max-time 10)
"${c[@]}" -u 'tybalt:tybalt-basic-pass' "$base/private.txt"
sleep 0.2
"${c[@]}" -b 'session=capulet-cookie-secret; theme=dark' "$base/private.txt"
sleep 0.2
"${c[@]}" -u 'tybalt:tybalt-basic-pass' -b 'session=capulet-cookie-secret' "$base/no-such-file.txt"
sleep 0.2
"${c[@]}" -H 'Authorization: Bearer montague-bearer-token' "$base/private.txt"

sleep 0.5
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID" || true
TCPDUMP_PID=""
mv -f "$tmp" "$OUT_DIR/$FILE"
chmod 644 "$OUT_DIR/$FILE"
echo "wrote $FILE ($(stat -c %s "$OUT_DIR/$FILE") bytes)"
