# Helpers shared by the scripts in this folder. Sourced, not run.

# Put a rustup-installed cargo on PATH when this shell did not load ~/.cargo/env, and stop
# with a clear message when there is no cargo at all.
ensure_cargo() {
    if ! command -v cargo >/dev/null 2>&1 && [ -f "${CARGO_HOME:-$HOME/.cargo}/env" ]; then
        # shellcheck source=/dev/null
        . "${CARGO_HOME:-$HOME/.cargo}/env"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        echo "$0: cargo not found; install the Rust toolchain from https://rustup.rs" >&2
        exit 2
    fi
}

# need COMMAND PACKAGE: install the Debian PACKAGE with apt-get when COMMAND is missing.
# Uses sudo when not root. Never prompts, so it is safe with no stdin and CI=true.
need() {
    local cmd=$1 pkg=$2
    command -v "$cmd" >/dev/null 2>&1 && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$0: $cmd not found and this is not a Debian-like system; install $pkg and retry" >&2
        exit 2
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo -n)
        else
            echo "$0: $cmd not found; run: apt-get install $pkg (as root)" >&2
            exit 2
        fi
    fi
    echo "$0: $cmd not found; installing the Debian package $pkg" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$pkg" </dev/null
}

# apt_install PACKAGE...: install Debian packages in one apt-get run (update first, as a fresh
# machine and CI need). Uses sudo when not root. Never prompts.
apt_install() {
    [ "$#" -gt 0 ] || return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$0: missing $*, and this is not a Debian-like system; install them and retry" >&2
        exit 2
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo -n)
        else
            echo "$0: missing $*; run: apt-get install $* (as root)" >&2
            exit 2
        fi
    fi
    echo "$0: installing the Debian packages $*" >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "$@" </dev/null
}

# have_font FAMILY: whether fontconfig knows a font of that family.
have_font() {
    command -v fc-list >/dev/null 2>&1 && fc-list : family | grep -qiF "$1"
}
