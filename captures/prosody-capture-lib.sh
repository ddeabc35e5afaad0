# prosody-capture-lib.sh: what the prosody capture scripts share. Sourced, not run:
#   NAME=make-x.sh PORT=15222 OUT=...; source prosody-capture-lib.sh
# Gives: what capture-common.sh gives (need_root, install_missing), require_free_port, a temp
# dir $WORK cleaned up on exit (with prosody and tcpdump stopped), self_signed_localhost,
# prosody_over_http, start_prosody, capture_while CMD... .

source "$(dirname "${BASH_SOURCE[0]}")/capture-common.sh"

require_free_port() {
    if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
        echo "$NAME: port $PORT is already in use" >&2
        exit 1
    fi
}

WORK="$(mktemp -d "/tmp/${NAME%.sh}.XXXXXX")"
PROSODY_PID=""
TCPDUMP_PID=""
cleanup() {
    if [[ -n "$TCPDUMP_PID" ]]; then kill -INT "$TCPDUMP_PID" 2>/dev/null || true; wait "$TCPDUMP_PID" 2>/dev/null || true; fi
    if [[ -n "$PROSODY_PID" ]]; then kill "$PROSODY_PID" 2>/dev/null || true; wait "$PROSODY_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# A throw-away self-signed certificate for localhost: $WORK/localhost.crt and .key (readable by prosody).
self_signed_localhost() {
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj '/CN=localhost' \
        -addext 'subjectAltName=DNS:localhost' \
        -keyout "$WORK/localhost.key" -out "$WORK/localhost.crt" 2>"$WORK/openssl.err"
    chmod 644 "$WORK/localhost.key" "$WORK/localhost.crt"
}

# The lines every capture's prosody.cfg.lua starts with: run from $WORK as root, on loopback, port $PORT.
prosody_config_head() {
    cat <<EOF
run_as_root = true
pidfile = "$WORK/prosody.pid"
data_path = "$WORK/data"
log = { debug = "$WORK/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { $PORT }
EOF
}

# XMPP over HTTP ($1: "bosh" or "websocket") on plain HTTP, 127.0.0.1:$PORT, no c2s port, no STARTTLS: writes
# $WORK/prosody.cfg.lua with the module, its consider_*_secure and cross_domain_* (so SASL PLAIN is offered
# over plain HTTP), and registers user $2 with password $3 on localhost. With $HTTPS_PORT set, HTTPS on that
# port too, with the certificate self_signed_localhost made.
prosody_over_http() {
    local module="$1" user="$2" password="$3" https="https_ports = { }"
    if [[ -n "${HTTPS_PORT:-}" ]]; then
        https="https_ports = { $HTTPS_PORT }
https_ssl = { certificate = \"$WORK/localhost.crt\", key = \"$WORK/localhost.key\" }"
    fi
    mkdir -p "$WORK/data" "$WORK/certs"  # certs: prosodyctl indexes it (empty)
    chmod 777 "$WORK" "$WORK/data"
    cat >"$WORK/prosody.cfg.lua" <<EOF
-- XMPP over $module on plain HTTP, loopback only, for captures.
run_as_root = true
pidfile = "$WORK/prosody.pid"
data_path = "$WORK/data"
certificates = "$WORK/certs"
log = { debug = "$WORK/prosody.log" }
interfaces = { "127.0.0.1" }
c2s_ports = { }
s2s_ports = { }
http_ports = { $PORT }
http_interfaces = { "127.0.0.1" }
$https
consider_${module}_secure = true
cross_domain_${module} = true
c2s_require_encryption = false
authentication = "internal_hashed"
modules_enabled = { "roster", "saslauth", "disco", "ping", "presence", "$module", "posix" }
modules_disabled = { "tls", "s2s" }
VirtualHost "localhost"
EOF
    export PROSODY_CONFIG="$WORK/prosody.cfg.lua"
    prosodyctl --config "$WORK/prosody.cfg.lua" register "$user" localhost "$password"
}

# Prosody in the foreground from $WORK/prosody.cfg.lua, waited for on $PORT.
start_prosody() {
    prosody --config "$WORK/prosody.cfg.lua" -F >"$WORK/prosody.out" 2>&1 &
    PROSODY_PID=$!
    for _ in $(seq 50); do
        (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break  # one probe before tcpdump starts: not captured
        sleep 0.1
    done
}

# Captures TCP on $PORT (or what $FILTER says) into $OUT while the given command runs.
capture_while() {
    tcpdump -i lo -U --immediate-mode -s 0 -n -w "$OUT.tmp" "${FILTER:-tcp port $PORT}" 2>"$WORK/tcpdump.err" &
    TCPDUMP_PID=$!
    until grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null; do sleep 0.1; done
    sleep 0.3
    "$@"
    sleep 0.5
    kill -INT "$TCPDUMP_PID"
    wait "$TCPDUMP_PID" || true
    TCPDUMP_PID=""
    mv "$OUT.tmp" "$OUT"
    echo "wrote $OUT"
}
