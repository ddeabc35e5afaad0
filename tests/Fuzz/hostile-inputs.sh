#!/usr/bin/env bash
# Runs every input of make-hostile-inputs.py through `xmppsniff stanzas` and `flows` and prints a
# markdown table: exit code, first stderr line, peak RSS, whether the stanza after the damage was
# decoded, the notes, the flows. Usage: tests/Fuzz/hostile-inputs.sh [XMPPSNIFF_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-"$here/../../benchmarks/data/native/xmppsniff"}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" && python3 "$here/make-hostile-inputs.py"
echo "| input | exit | stderr | peak RSS MB (stanzas / flows) | stanza after the damage | notes | flows |"
echo "|---|---:|---|---|---|---|---:|"
for f in empty.pcap random.pcap wrong-magic.pcap record-2gib.pcap pcapng-bad-block.pcapng cut-mid-packet.pcap \
         snaplen-0.pcap time-backwards.pcap billion-laughs.pcap undefined-entity.pcap unclosed-64mib.pcap \
         nesting-10000.pcap malformed-tags.pcap invalid-utf8.pcap synflood-200k.pcap; do
    rc=0; /usr/bin/time -f %M -o rss "$bin" stanzas "$f" --format jsonl >out 2>err || rc=$?
    /usr/bin/time -f %M -o rss2 "$bin" flows "$f" --format jsonl >flows 2>/dev/null || true
    notes=$(grep -o '"kind":"note","name":"[a-z-]*"' out | sed 's/.*name":"//;s/"//' | sort | uniq -c | awk '{printf "%s %s; ", $1, $2}' || true)
    echo "| $f | $rc | $(head -1 err | sed "s|$dir/||" | cut -c1-100) | $(( $(tail -1 rss) / 1024 )) / $(( $(tail -1 rss2) / 1024 )) | $(grep -q '"id":"after"' out && echo yes || echo no) | $notes | $(wc -l <flows) |"
done
