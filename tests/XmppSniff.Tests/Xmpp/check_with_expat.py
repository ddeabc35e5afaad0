#!/usr/bin/env python3
"""Cross-checks `xmppsniff stanzas` against an independent XML parser (Python's expat).

For every flow that `xmppsniff stanzas` reports, the reassembled bytes of each direction are read
from `xmppsniff follow FILE ID --raw`, cut at capture gaps, and parsed with expat inside a wrapper
element (so mid-stream flows and stream restarts parse). The top-level element sequence per
direction (stream-open, element local names, stream-close) must equal the one xmppsniff printed,
notes left out. After a gap, bytes up to the next '<iq', '<message', '<presence' or '</stream:'
are dropped first, as a reader would. Usage: check_with_expat.py XMPPSNIFF_DLL CAPTURE
"""
import json, re, subprocess, sys
import xml.parsers.expat

dll, capture = sys.argv[1], sys.argv[2]
run = lambda *a: subprocess.run(["dotnet", dll, *a], capture_output=True, check=True).stdout.decode()

ours = {}
for line in run("stanzas", capture, "--format", "jsonl").splitlines():
    r = json.loads(line)
    if r["kind"] == "note":
        continue
    name = r["kind"] if r["kind"] in ("stream-open", "stream-close") else r["name"]
    ours.setdefault((r["flow"], r["dir"]), []).append(name)

def segments(flow):
    """Per direction, lists of contiguous byte runs (a gap starts a new run)."""
    runs = {"c2s": [bytearray()], "s2c": [bytearray()]}
    side = None
    for line in run("follow", capture, str(flow), "--raw").splitlines():
        if line.startswith(">>> client"): side = "c2s"
        elif line.startswith("<<< server"): side = "s2c"
        elif line.startswith("[gap:"):
            runs["c2s" if "from the client" in line else "s2c"].append(bytearray())
        elif side and re.fullmatch(r"\t?[0-9a-f]+", line):
            runs[side][-1] += bytes.fromhex(line.strip())
    return runs

def parse(data, after_gap, direction):
    if after_gap:
        m = re.search(rb"<(iq|message|presence)[\s/>]|</stream:", bytes(data))
        data = data[m.start():] if m else b""
    data = re.sub(rb"<\?xml[^>]*\?>", b"", bytes(data))
    tls = re.search(rb"<starttls[^>]*/>" if direction == "c2s" else rb"<proceed[^>]*/>", bytes(data))
    if tls:
        data = data[:tls.end()]  # what follows is TLS
    names, depth, stream_depths = [], [0], [1]  # the wrapper is depth 1
    def start(name, attrs):
        depth[0] += 1
        if depth[0] == 1:
            return  # the wrapper
        if name.endswith(":stream") or name == "stream":
            names.append("stream-open"); stream_depths.append(depth[0])
        elif depth[0] == stream_depths[-1] + 1:
            names.append(name.split(":")[-1])
    def end(name):
        if (name.endswith(":stream") or name == "stream") and depth[0] == stream_depths[-1]:
            names.append("stream-close"); stream_depths.pop()
        depth[0] -= 1
    p = xml.parsers.expat.ParserCreate()
    p.StartElementHandler, p.EndElementHandler = start, end
    # The wrapper stands for the stream header a mid-stream flow lacks; a real header nests inside it.
    p.Parse(b"<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>", False)
    try:
        p.Parse(data, False)  # never closed: the stream root stays open
    except xml.parsers.expat.ExpatError as e:
        names.append(f"EXPAT ERROR {e} in {bytes(data)[:300]!r}")
    return names

bad = 0
for flow in sorted({f for f, _ in ours}):
    runs = segments(flow)
    for direction in ("c2s", "s2c"):
        theirs = []
        for i, data in enumerate(runs[direction]):
            theirs += parse(data, i > 0, direction)
        mine = ours.get((flow, direction), [])
        status = "same" if mine == theirs else "DIFFERENT"
        bad += mine != theirs
        print(f"flow {flow} {direction}: {len(mine)} elements, expat {len(theirs)}: {status}")
        if mine != theirs:
            print("  xmppsniff:", mine, "\n  expat:    ", theirs)
            print("  bytes:", [bytes(d[:120]) for d in runs[direction]])
sys.exit(1 if bad else 0)
