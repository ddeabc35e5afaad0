#!/usr/bin/env bash
# make-xmpp-captures.sh: XMPP sample captures from a real server (Debian's prosody) and real
# clients (python3-slixmpp) talking plaintext XMPP on 127.0.0.1.
#
# Run as root (tcpdump must open lo):   sudo bash captures/make-xmpp-captures.sh
#
# Writes captures/xmpp-prosody-slixmpp.pcap: two users log in (romeo with SASL PLAIN, juliet
# with SCRAM-SHA-1), fetch their rosters, subscribe to each other's presence, enable stream
# management (<r/>/<a/> every 2 stanzas), chat with non-ASCII text and characters that must be
# escaped, send one message larger than 64 KiB, ping the server, ask it disco#info, join a MUC
# room and talk there, and close their streams.
#
# Test passwords only (never real ones): romeo / romeo-plain-pass, juliet / juliet-scram-pass.
# Prosody runs in the foreground from a config file written to a temp dir (data, log and pid
# there too) on port 15222, so it never touches a system prosody on 5222.
set -euo pipefail

OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/xmpp-prosody-slixmpp.pcap"
PORT=15222

NAME=make-xmpp-captures.sh
source "$(dirname "${BASH_SOURCE[0]}")/prosody-capture-lib.sh"
need_root
install_missing "command -v prosody prosody" "command -v tcpdump tcpdump" "/usr/bin/python3 -c 'import slixmpp' python3-slixmpp"

mkdir -p "$WORK/data"
chmod 777 "$WORK" "$WORK/data"
{
    echo "-- Plaintext on loopback for captures: no TLS, PLAIN allowed without it."
    prosody_config_head
    cat <<EOF
s2s_ports = { }
c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
modules_enabled = { "roster", "saslauth", "disco", "ping", "presence", "carbons", "smacks", "csi_simple", "posix" }
modules_disabled = { "tls", "s2s" }
VirtualHost "localhost"
Component "conference.localhost" "muc"
EOF
} >"$WORK/prosody.cfg.lua"

export PROSODY_CONFIG="$WORK/prosody.cfg.lua"
prosodyctl --config "$WORK/prosody.cfg.lua" register romeo localhost romeo-plain-pass
prosodyctl --config "$WORK/prosody.cfg.lua" register juliet localhost juliet-scram-pass

start_prosody

cat >"$WORK/session.py" <<'PYEOF'
import asyncio, sys
import slixmpp

PORT = int(sys.argv[1])
BIG = "x" * 70000 + " end of a message larger than 64 KiB"
TEXT = "Héllo Julïet ☃ — <b>bold?</b> & \"quotes\" 'apos' 日本語"

def client(jid, password, mech):
    c = slixmpp.ClientXMPP(jid, password, sasl_mech=mech,
                           plugin_config={"feature_mechanisms": {"unencrypted_plain": True}})
    for p in ("xep_0030", "xep_0045", "xep_0085", "xep_0184", "xep_0199", "xep_0198", "xep_0280"):
        c.register_plugin(p)
    c["xep_0198"].window = 2            # ask for an ack every 2 stanzas
    c.auto_authorize = True
    c.auto_subscribe = True
    return c

async def main():
    romeo = client("romeo@localhost/balcony", "romeo-plain-pass", "PLAIN")
    juliet = client("juliet@localhost/garden", "juliet-scram-pass", "SCRAM-SHA-1")
    got = asyncio.Event()
    juliet.add_event_handler("message", lambda m: got.set() if m["body"].endswith("64 KiB") else None)
    for c in (romeo, juliet):
        ready = asyncio.Event()
        c.add_event_handler("session_start", lambda _e, r=ready: r.set())
        c.connect(("127.0.0.1", PORT), force_starttls=False, disable_starttls=True)
        await asyncio.wait_for(ready.wait(), 10)
        await c.get_roster()
        c.send_presence()
        await asyncio.sleep(0.3)
    romeo.send_presence_subscription(pto="juliet@localhost")
    await asyncio.sleep(0.5)
    romeo.send_message(mto="juliet@localhost/garden", mbody=TEXT, mtype="chat")
    juliet.send_message(mto="romeo@localhost/balcony", mbody="Romeo, Romeo ✓ &amp; <3", mtype="chat")
    await asyncio.sleep(0.3)
    romeo.send_message(mto="juliet@localhost/garden", mbody=BIG, mtype="chat")
    await asyncio.wait_for(got.wait(), 10)
    await romeo["xep_0199"].ping("localhost", timeout=5)
    await juliet["xep_0030"].get_info(jid="localhost", timeout=5)
    await romeo["xep_0045"].join_muc_wait("verona@conference.localhost", "romeo", maxstanzas=0, timeout=5)
    await asyncio.sleep(0.3)
    romeo.send_message(mto="verona@conference.localhost", mbody="hello room", mtype="groupchat")
    await asyncio.sleep(0.3)
    romeo["xep_0198"].request_ack()
    await asyncio.sleep(0.5)
    for c in (romeo, juliet):
        c.disconnect()
        await c.disconnected
    
asyncio.run(main())
PYEOF

capture_while /usr/bin/python3 "$WORK/session.py" "$PORT"
