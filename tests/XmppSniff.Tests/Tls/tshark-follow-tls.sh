#!/usr/bin/env bash
# tshark-follow-tls.sh: the independent baseline for TlsDecryptionBaselineTests. For each capture
# with a key log, tshark decrypts every TCP stream and prints its TLS application data
# (`tshark -r CAPTURE -o tls.keylog_file:KEYLOG -qz follow,tls,raw,N` for every stream N), into
# tshark/CAPTURE.follow-tls.txt next to this script. Made with TShark 4.0.17 (Debian 12).
#   bash tests/XmppSniff.Tests/Tls/tshark-follow-tls.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CAPTURES="$HERE/../../../captures"
mkdir -p "$HERE/tshark"
for name in xmpp-tls13 xmpp-tls12 https-curl; do
    pcap="$CAPTURES/$name.pcap"
    streams=$(tshark -r "$pcap" -T fields -e tcp.stream 2>/dev/null | sort -n | uniq)
    args=()
    for n in $streams; do args+=(-z "follow,tls,raw,$n"); done
    tshark -r "$pcap" -o "tls.keylog_file:$CAPTURES/$name.keylog" -q "${args[@]}" 2>/dev/null >"$HERE/tshark/$name.follow-tls.txt"
    echo "wrote tshark/$name.follow-tls.txt ($(echo $streams | wc -w) streams)"
done
