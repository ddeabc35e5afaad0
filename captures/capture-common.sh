# capture-common.sh: what every capture script needs before it starts. Sourced, not run:
#   NAME=make-x.sh; source capture-common.sh
# Gives: need_root, install_missing "CHECK PACKAGE"..., python3_path.

need_root() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "$NAME: run as root (tcpdump must open lo)" >&2
        exit 1
    fi
}

# Each argument is "check-command package": the package is installed when the check fails.
install_missing() {
    local need=() entry
    for entry in "$@"; do
        eval "${entry% *}" >/dev/null 2>&1 || need+=("${entry##* }")
    done
    if ((${#need[@]})); then
        echo "installing: ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${need[@]}"
    fi
}

# Debian's python3 where it is, else the first on PATH (after install_missing "command -v python3 python3").
python3_path() {
    if [[ -x /usr/bin/python3 ]]; then echo /usr/bin/python3; else command -v python3; fi
}
