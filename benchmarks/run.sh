#!/usr/bin/env bash
# Whole-file benchmark: xmppsniff vs tshark vs tcpflow vs a bare read loop.
#
#   benchmarks/run.sh [--scale] [--runs N] [--tools LIST] [--no-build] [--xmpp]
#
#   --scale       also generate and time echo-4x.pcap and echo-16x.pcap (4 and 16 times the copies)
#   --runs N      N rounds; in each, every tool runs once, in turn; tables show the fastest run of
#                 each tool, ratios also the median of the rounds' ratios (default 1)
#   --tools LIST  comma separated subset of: readloop,pcaploop,tshark,tcpflow,xmppsniff (default: all)
#   --no-build    do not build (use what is in data/native or bin/Release)
#   --jit         time the JIT builds (`dotnet x.dll`) instead of the native (Native AOT) ones
#   --xmpp        also the stanza benchmark: data/xmpp-90k.pcap and data/xmpp-1x.pcap (520 and
#                 2,100 copies of captures/xmpp-prosody-slixmpp.pcap, 88 and 354 MB), `xmppsniff stanzas` vs
#                 `tshark -d tcp.port==15222,xmpp -Y xmpp -T fields -e xmpp.message` (issue 8's
#                 command) and `tshark -d tcp.port==15222,xmpp -Y xmpp` (summary lines only)
#   --xmpp-only   the stanza benchmark alone (no echo-*.pcap)
#
# Inputs are generated into benchmarks/data/ (git-ignored) from benchmarks/seed-echo.pcap when
# missing or older than the seed. Every run is timed with /usr/bin/time -v (wall clock seconds,
# maximum resident set size), its output sent to /dev/null. The page cache is warmed before
# timing, so the numbers are for a hot cache. Prints a markdown table; see benchmarks/README.md.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
data="$here/data"
seed="$here/seed-echo.pcap"

# copies of the seed in echo-1x.pcap: 4138 x 348 packets = 1,440,024 packets, 12,414 TCP connections
copies_1x=4138
offset_us=100

scales=(1)
runs=1
tools="readloop,pcaploop,tshark,tcpflow,xmppsniff"
build=1
native=1
xmpp=0
while [ $# -gt 0 ]; do
    case "$1" in
        --scale) scales=(1 4 16) ;;
        --runs) runs="$2"; shift ;;
        --runs=*) runs="${1#*=}" ;;
        --tools) tools="$2"; shift ;;
        --tools=*) tools="${1#*=}" ;;
        --no-build) build=0 ;;
        --jit) native=0 ;;
        --xmpp) xmpp=1 ;;
        --xmpp-only) xmpp=1; scales=() ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs needs a positive number" >&2; exit 2; }
want() { [[ ",$tools," == *",$1,"* ]]; }

log() { echo "$*" >&2; }

# --- prerequisites --------------------------------------------------------------------------
need_pkgs=()
[ -x /usr/bin/time ] || need_pkgs+=(time)
want tshark && ! command -v tshark >/dev/null && need_pkgs+=(tshark)
want tcpflow && ! command -v tcpflow >/dev/null && need_pkgs+=(tcpflow)
want pcaploop && [ ! -f /usr/include/pcap/pcap.h ] && need_pkgs+=(libpcap-dev)
if [ ${#need_pkgs[@]} -gt 0 ]; then
    log "installing ${need_pkgs[*]}"
    sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    echo "wireshark-common wireshark-common/install-setuid boolean false" | "${sudo_cmd[@]}" debconf-set-selections 2>/dev/null || true
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi
[ -f "$seed" ] || { log "missing $seed (run benchmarks/make-seed.sh)"; exit 1; }
mkdir -p "$data"

gen_dll="$here/generate/bin/Release/net10.0/xmppsniff-generate.dll"
loop_dll="$here/readloop/bin/Release/net10.0/xmppsniff-readloop.dll"
xs_dll="${XMPPSNIFF_DLL:-$root/src/XmppSniff/bin/Release/net10.0/xmppsniff.dll}"

# The shipped tool is published ahead of time (Native AOT: no JIT thread, no start-up
# compilation); the read loop is published the same way so the floor is measured alike.
# Where Native AOT cannot build (no C toolchain), the JIT builds are timed instead.
native_dir="$data/native"
publish_native() { # project, log name
    local linker=gcc; command -v clang >/dev/null && linker=clang
    (cd "$root" && dotnet publish -c Release -r linux-x64 --nologo -v q -p:PublishAot=true \
        -p:CppCompilerAndLinker="$linker" -o "$native_dir" "$1") >"$data/publish-$2.log" 2>&1
}
if [ "$build" -eq 1 ]; then
    log "building generator and read loop"
    dotnet build -c Release --nologo -v q "$here/generate" >"$data/build-generate.log" 2>&1 \
        || { cat "$data/build-generate.log" >&2; exit 1; }
    dotnet build -c Release --nologo -v q "$here/readloop" >"$data/build-readloop.log" 2>&1 \
        || { cat "$data/build-readloop.log" >&2; exit 1; }
    if want xmppsniff && [ -f "$root/src/XmppSniff/XmppSniff.csproj" ]; then
        log "building xmppsniff (dotnet build -c Release src/XmppSniff)"
        if ! (cd "$root" && dotnet build -c Release --nologo -v q src/XmppSniff) >"$data/build-xmppsniff.log" 2>&1; then
            log "xmppsniff build failed, see $data/build-xmppsniff.log"
            rm -f "$xs_dll" # never time a stale build
        fi
    fi
    if [ "$native" -eq 1 ]; then
        log "publishing native builds (Native AOT) into $native_dir"
        rm -rf "$native_dir"
        publish_native benchmarks/readloop readloop || log "read loop: no native build, see $data/publish-readloop.log"
        publish_native src/XmppSniff xmppsniff || log "xmppsniff: no native build, see $data/publish-xmppsniff.log"
    fi
    if want pcaploop; then
        mkdir -p "$native_dir"
        gcc -O2 -o "$native_dir/pcap-loop" "$here/readloop/pcap-loop.c" -lpcap 2>"$data/build-pcaploop.log" \
            || log "libpcap read loop: not built, see $data/build-pcaploop.log"
    fi
fi
# The command lines timed: native binaries when published, else the JIT builds.
loop_cmd=(dotnet "$loop_dll"); xs_cmd=(dotnet "$xs_dll"); xs_built="$xs_dll"
if [ "$native" -eq 1 ] && [ -x "$native_dir/xmppsniff-readloop" ]; then loop_cmd=("$native_dir/xmppsniff-readloop"); fi
if [ "$native" -eq 1 ] && [ -x "$native_dir/xmppsniff" ]; then xs_cmd=("$native_dir/xmppsniff"); xs_built="$native_dir/xmppsniff"; fi
log "timing: ${xs_cmd[*]} and ${loop_cmd[*]}"

# --- inputs ---------------------------------------------------------------------------------
files=()
for s in "${scales[@]}"; do
    f="$data/echo-${s}x.pcap"
    if [ ! -f "$f" ] || [ "$seed" -nt "$f" ]; then
        log "generating $(basename "$f") ($((copies_1x * s)) copies of the seed)"
        dotnet "$gen_dll" -i "$seed" -o "$f.tmp" --copies $((copies_1x * s)) --offset-us "$offset_us"
        mv "$f.tmp" "$f"
    fi
    files+=("$f")
done

# Stanza files, copies of the XMPP seed (170 packets, 2 TCP connections):
#   xmpp-90k.pcap:   520 x 170 =  88,400 packets,  87.6 MB: issue 3's file (90k packets, 87 MB)
#   xmpp-1x.pcap:  2,100 x 170 = 357,000 packets, 353.7 MB, 4,200 TCP connections: issue 8's file
#                  (358k packets, 348 MB, 4,000 sessions)
xmpp_seed="$root/captures/xmpp-prosody-slixmpp.pcap"
xmpp_files=()
if [ "$xmpp" -eq 1 ]; then
    for spec in xmpp-90k:520 xmpp-1x:2100; do
        xf="$data/${spec%%:*}.pcap" copies="${spec##*:}"
        if [ ! -f "$xf" ] || [ "$xmpp_seed" -nt "$xf" ]; then
            log "generating $(basename "$xf") ($copies copies of $(basename "$xmpp_seed"))"
            dotnet "$gen_dll" -i "$xmpp_seed" -o "$xf.tmp" --copies "$copies" --offset-us "$offset_us"
            mv "$xf.tmp" "$xf"
        fi
        xmpp_files+=("$xf")
    done
fi

load0=$(cut -d' ' -f1-3 /proc/loadavg)

# --- timing ---------------------------------------------------------------------------------
# before_each: shell command run (untimed) before every run, e.g. to empty an output directory
before_each=":"
# Per tool name, over the rounds so far: S (wall seconds of the fastest run), C (user+sys seconds of that
# run), M (its max RSS MB), W (every run's wall seconds, one per round, in round order).
declare -A S=() C=() M=() W=()
# time_one NAME FILE CMD... : runs CMD once under /usr/bin/time -v and updates NAME's entries; a failed
#   run sets S[NAME]="failed ..." and NAME is not run again.
# Timed runs discard what the tools print, as hyperfine does: writing xmppsniff's 736 MB of stanza
# JSONL to a file costs the kernel more than reading the capture, and on this VM its cost swings
# with the disk. What the notes count comes from count_one, an untimed run that keeps the output.
time_one() {
    local name="$1" file="$2"; shift 2
    local tv="$data/time-$name.txt" out=/dev/null s kb cpu
    [[ "${S[$name]:-}" == failed* ]] && return 0
    eval "$before_each"
    if ! /usr/bin/time -v -o "$tv" "$@" >"$out" 2>"$data/err-$name.txt"; then
        S[$name]="failed (see $data/err-$name.txt)"; M[$name]=""; C[$name]=""
        return 0
    fi
    s=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); t = 0;
            for (i = 1; i <= n; i++) t = t * 60 + a[i]; printf "%.2f", t }' "$tv")
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tv")
    cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$tv")
    W[$name]+=" $s"
    if [ -z "${S[$name]:-}" ] || awk -v a="$s" -v b="${S[$name]}" 'BEGIN { exit !(a < b) }'; then
        S[$name]="$s"; C[$name]="$cpu"; M[$name]=$(awk -v k="$kb" 'BEGIN { printf "%.0f", k / 1024 }')
    fi
}

# count_one NAME CMD... : runs CMD once, untimed, its output in $data/out-NAME.txt for the notes.
count_one() { local name="$1"; shift; "$@" >"$data/out-$name.txt" 2>/dev/null || true; }

# tshark is only run again for its counts on files up to this size (on the 16x file it takes minutes).
count_tshark_below=$((400 * 1000 * 1000))

# rounds A B -> "best ratio (median of the rounds' ratios)" of wall times A/B: the tools run in turn within
#   a round, so a round's ratio compares runs made a few seconds apart on a machine whose speed drifts.
rounds() {
    local best; best=$(ratio "${S[$1]:-}" "${S[$2]:-}")
    [ "$runs" -gt 1 ] && [ "$best" != n/a ] || { printf '%s' "$best"; return; }
    printf '%s (median %s)' "$best" "$(awk -v a="${W[$1]}" -v b="${W[$2]}" 'BEGIN {
        n = split(a, x, " "); split(b, y, " "); for (i = 1; i <= n; i++) r[i] = x[i] / y[i]
        for (i = 2; i <= n; i++) for (j = i; j > 1 && r[j - 1] > r[j]; j--) { t = r[j]; r[j] = r[j - 1]; r[j - 1] = t }
        printf "%.2f", n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2 }')"
}

ratio() { # ratio A B -> A/B with 2 decimals, or n/a
    awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else printf "n/a" }'
}

table="| file | packets | MB | tool | seconds | CPU seconds | peak RSS MB |
|---|---:|---:|---|---:|---:|---:|"
ratios="| file | tshark/xmppsniff (time) | tcpflow/xmppsniff (time) | xmppsniff/readloop (time) | xmppsniff/pcaploop (time) | tshark/xmppsniff (RSS) | tcpflow/xmppsniff (RSS) | xmppsniff/readloop (RSS) |
|---|---:|---:|---:|---:|---:|---:|---:|"
notes=""

for f in "${files[@]}"; do
    name="$(basename "$f")"
    mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN { printf "%.0f", b / 1e6 }')
    log "warming the page cache with $name"
    cat "$f" >/dev/null
    S=() C=() M=() W=() pkts=""
    tmp="$data/tcpflow.tmp"
    for ((round = 1; round <= runs; round++)); do
        log "  round $round of $runs"
        if want readloop; then
            log "    readloop"
            time_one readloop "$f" "${loop_cmd[@]}" "$f"
        fi
        if want pcaploop; then
            if [ -x "$native_dir/pcap-loop" ]; then
                log "    pcap-loop (libpcap's read loop)"
                time_one pcaploop "$f" "$native_dir/pcap-loop" "$f"
            else
                S[pcaploop]="not built"
            fi
        fi
        if want tshark; then
            log "    tshark -r $name -q -z conv,tcp"
            time_one tshark "$f" tshark -r "$f" -q -z conv,tcp
        fi
        if want tcpflow; then
            log "    tcpflow -r $name -o TMPDIR"
            before_each='rm -rf "$tmp"; mkdir -p "$tmp"'
            time_one tcpflow "$f" tcpflow -r "$f" -o "$tmp"
            before_each=":"
        fi
        if want xmppsniff; then
            if [ -f "$xs_built" ]; then
                log "    xmppsniff flows $name --format jsonl"
                time_one xmppsniff "$f" "${xs_cmd[@]}" flows "$f" --format jsonl
            else
                S[xmppsniff]="xmppsniff: not built"
            fi
        fi
    done
    if want readloop; then
        count_one readloop "${loop_cmd[@]}" "$f"
        pkts=$(awk '{ print $1; exit }' "$data/out-readloop.txt" 2>/dev/null || true)
    fi
    [ -n "${pkts:-}" ] || pkts=$(capinfos -c -M "$f" 2>/dev/null | awk -F': *' '/Number of packets/ { print $2 }')
    if want tshark && [ "$(stat -c %s "$f")" -le "$count_tshark_below" ]; then
        count_one tshark tshark -r "$f" -q -z conv,tcp
        notes+="- $name: tshark found $(grep -c '<->' "$data/out-tshark.txt" || true) TCP conversations"$'\n'
    fi
    if want tcpflow; then
        notes+="- $name: tcpflow wrote $(find "$tmp" -type f -name '*-*' ! -name '*.xml' | wc -l) flow files"$'\n'
        rm -rf "$tmp"
    fi
    if want xmppsniff && [ -f "$xs_built" ]; then
        count_one xmppsniff "${xs_cmd[@]}" flows "$f" --format jsonl
        notes+="- $name: xmppsniff printed $(wc -l <"$data/out-xmppsniff.txt") JSONL lines"$'\n'
    fi
    rm -f "$data/out-xmppsniff.txt" # can be large

    for t in readloop pcaploop tshark tcpflow xmppsniff; do
        want "$t" || continue
        table+=$'\n'"| $name | $pkts | $mb | $t | ${S[$t]:-} | ${C[$t]:-} | ${M[$t]:-} |"
    done
    ratios+=$'\n'"| $name | $(rounds tshark xmppsniff) | $(rounds tcpflow xmppsniff) | $(rounds xmppsniff readloop) | $(rounds xmppsniff pcaploop) | $(ratio "${M[tshark]:-}" "${M[xmppsniff]:-}") | $(ratio "${M[tcpflow]:-}" "${M[xmppsniff]:-}") | $(ratio "${M[xmppsniff]:-}" "${M[readloop]:-}") |"
done

# --- stanza benchmark (--xmpp) ---------------------------------------------------------------
# The seed's server port is 15222, not 5222: tshark needs "decode as" to dissect XMPP there
# (without it, -Y xmpp matches nothing and tshark only reads the file).
xmpp_table=""
xmpp_ratios=""
if [ "$xmpp" -eq 1 ]; then
    xmpp_table="| file | MB | tool | seconds | CPU seconds | peak RSS MB | output |
|---|---:|---|---:|---:|---:|---|"
    xmpp_ratios="| file | tshark -e xmpp.message/xmppsniff (time) | tshark -Y xmpp lines/xmppsniff (time) | tshark/xmppsniff (RSS) |
|---|---:|---:|---:|"
fi
for xf in "${xmpp_files[@]}"; do
    name="$(basename "$xf")"
    mb=$(awk -v b="$(stat -c %s "$xf")" 'BEGIN { printf "%.0f", b / 1e6 }')
    log "warming the page cache with $name"
    cat "$xf" >/dev/null
    S=() C=() M=() W=()
    for ((round = 1; round <= runs; round++)); do
        log "  round $round of $runs"
        if want xmppsniff && [ -f "$xs_built" ]; then
            log "    xmppsniff stanzas $name --format jsonl"
            time_one xmppsniff-stanzas "$xf" "${xs_cmd[@]}" stanzas "$xf" --format jsonl
        fi
        if want tshark; then
            log "    tshark -r $name -d tcp.port==15222,xmpp -Y xmpp -T fields -e xmpp.message"
            time_one tshark-xmpp "$xf" tshark -r "$xf" -d tcp.port==15222,xmpp -Y xmpp -T fields -e xmpp.message
            log "    tshark -r $name -d tcp.port==15222,xmpp -Y xmpp"
            time_one tshark-xmpp-lines "$xf" tshark -r "$xf" -d tcp.port==15222,xmpp -Y xmpp
        fi
    done
    if want xmppsniff; then
        if [ -f "$xs_built" ]; then
            count_one xmppsniff-stanzas "${xs_cmd[@]}" stanzas "$xf" --format jsonl
            n=$(grep -c '"kind":"stanza","name":"message"' "$data/out-xmppsniff-stanzas.txt" || true)
            xmpp_table+=$'\n'"| $name | $mb | xmppsniff stanzas | ${S[xmppsniff-stanzas]} | ${C[xmppsniff-stanzas]:-} | ${M[xmppsniff-stanzas]:-} | $(wc -l <"$data/out-xmppsniff-stanzas.txt") elements, $n messages |"
            rm -f "$data/out-xmppsniff-stanzas.txt"
        else
            xmpp_table+=$'\n'"| $name | $mb | xmppsniff stanzas | xmppsniff: not built | | | |"
        fi
    fi
    if want tshark; then
        count_one tshark-xmpp tshark -r "$xf" -d tcp.port==15222,xmpp -Y xmpp -T fields -e xmpp.message
        n=$(grep -c . "$data/out-tshark-xmpp.txt" || true)
        xmpp_table+=$'\n'"| $name | $mb | tshark -Y xmpp -e xmpp.message | ${S[tshark-xmpp]} | ${C[tshark-xmpp]:-} | ${M[tshark-xmpp]:-} | $(wc -l <"$data/out-tshark-xmpp.txt") XMPP frames, $n with a message |"
        xmpp_table+=$'\n'"| $name | $mb | tshark -Y xmpp (summary lines) | ${S[tshark-xmpp-lines]} | ${C[tshark-xmpp-lines]:-} | ${M[tshark-xmpp-lines]:-} | one line per XMPP frame, no message text |"
        rm -f "$data/out-tshark-xmpp.txt"
    fi
    xmpp_ratios+=$'\n'"| $name | $(rounds tshark-xmpp xmppsniff-stanzas) | $(rounds tshark-xmpp-lines xmppsniff-stanzas) | $(ratio "${M[tshark-xmpp]:-}" "${M[xmppsniff-stanzas]:-}") |"
done

cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
# A virtio balloon with free page reporting (feature bit 5) hands freed memory back to the host, so a
# run's fresh memory costs more after another program freed its own (benchmarks/README, session 13).
page_reporting=""
for dev in /sys/bus/virtio/devices/*; do
    if [ "$(cat "$dev/device" 2>/dev/null)" = 0x0005 ] && [ "$(cut -c6 "$dev/features" 2>/dev/null)" = 1 ]; then
        page_reporting=", VM balloon reports free pages to the host"
    fi
done
echo "## XmppSniff whole-file benchmark"
echo
echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPU(s) ($cpu), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM," \
     "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), best of $runs run(s), hot page cache, timed output to /dev/null," \
     "load average at start $load0$page_reporting"
echo "$(tshark --version 2>/dev/null | head -1 || true); $(tcpflow --version 2>/dev/null | head -1 || true); .NET $(dotnet --version)"
if [ ${#files[@]} -gt 0 ]; then
    echo
    echo "$table"
    echo
    echo "$ratios"
fi
if [ -n "$notes" ]; then
    echo
    printf '%s' "$notes"
fi
if [ -n "$xmpp_table" ]; then
    echo
    echo "### Stanzas (--xmpp)"
    echo
    echo "$xmpp_table"
    echo
    echo "$xmpp_ratios"
fi
