#!/usr/bin/env bash
# make-dns-capture.sh: the DNS lookups that start an XMPP connection, from real software on
# loopback: dnsmasq (Debian's dnsmasq-base) answers for example.test, dig (bind9-dnsutils) asks.
#
#   sudo bash captures/make-dns-capture.sh     -> captures/dns-xmpp-srv.pcap
#
# Queries, each over UDP to 127.0.0.1:15353: SRV _xmpp-client._tcp.example.test, SRV
# _xmpp-server._tcp.example.test, A xmpp.example.test, AAAA xmpp.example.test, and A
# missing.example.test (NXDOMAIN); then the first SRV query again over TCP (dig +tcp).
set -euo pipefail
cd "$(dirname "$0")"
OUT=dns-xmpp-srv.pcap
PORT=15353

NAME=make-dns-capture.sh
source ./capture-common.sh
need_root
install_missing "command -v dnsmasq dnsmasq-base" "command -v dig bind9-dnsutils" "command -v tcpdump tcpdump"

DNSMASQ_PID="" TCPDUMP_PID=""
cleanup() {
    [[ -n "$TCPDUMP_PID" ]] && { kill -INT "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; }
    [[ -n "$DNSMASQ_PID" ]] && { kill "$DNSMASQ_PID" 2>/dev/null || true; wait "$DNSMASQ_PID" 2>/dev/null || true; }
}
trap cleanup EXIT

dnsmasq --keep-in-foreground --no-resolv --no-hosts --no-daemon --listen-address=127.0.0.1 --bind-interfaces \
    --port=$PORT --user=root --log-facility=/dev/null \
    --srv-host=_xmpp-client._tcp.example.test,xmpp.example.test,5222,0,5 \
    --srv-host=_xmpp-server._tcp.example.test,xmpp.example.test,5269,0,5 \
    --host-record=xmpp.example.test,127.0.0.10,fd00::10 \
    --auth-zone=example.test --auth-server=ns.example.test 2>/dev/null &
DNSMASQ_PID=$!
sleep 0.5

tcpdump -i lo -U --immediate-mode -s 0 -n -Z root -w "$OUT.tmp" "port $PORT" 2>"$OUT.tcpdump.log" &
TCPDUMP_PID=$!
for _ in $(seq 50); do grep -q "listening on" "$OUT.tcpdump.log" && break; sleep 0.1; done
sleep 0.3

q() { dig @127.0.0.1 -p $PORT +tries=1 +time=2 "$@" >/dev/null; sleep 0.1; }
q SRV _xmpp-client._tcp.example.test
q SRV _xmpp-server._tcp.example.test
q A xmpp.example.test
q AAAA xmpp.example.test
q A missing.example.test || true
q +tcp SRV _xmpp-client._tcp.example.test

sleep 0.5
kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" 2>/dev/null || true; TCPDUMP_PID=""
rm -f "$OUT.tcpdump.log"
mv "$OUT.tmp" "$OUT"
echo "wrote captures/$OUT"
