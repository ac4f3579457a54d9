#!/usr/bin/env bash
# Set up everything plangraph needs on a fresh machine (Python 3.11, pip; Debian; npm):
# Graphviz and Noto CJK fonts (static figures), LibreOffice (.doc/.wps); a virtualenv with the project and its pinned
# dependencies; with --test also the test tools
# (Debian's chromium for the map tests, wrk for the benchmark's HTTP load, the Node packages of
# the Cypher linter).
#
# It says what it is doing, and retries what a busy package manager refuses (a held apt/dpkg lock,
# a registry that times out), so it can run beside other installs.
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=${1:-}

say() { printf 'setup: %s\n' "$*" >&2; }

# retry TRIES CMD...: run CMD until it succeeds, waiting longer each time (5, 10, 20 … s).
retry() {
  local tries=$1 n=1 wait=5
  shift
  until "$@"; do
    if [ "$n" -ge "$tries" ]; then
      say "gave up after $tries tries: $*"
      return 1
    fi
    say "failed (try $n of $tries), retrying in ${wait}s: $*"
    sleep "$wait"
    n=$((n + 1))
    wait=$((wait * 2))
  done
}

if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
apt_updated=
# apt_install [--lean] PKG...: install the Debian packages that are missing (dpkg's lock waited
# for); --lean leaves out what they only recommend.
apt_install() {
  local missing=() extra=()
  if [ "${1:-}" = "--lean" ]; then extra=(--no-install-recommends); shift; fi
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if [ -z "$apt_updated" ]; then
    say "apt-get update"
    retry 5 $SUDO apt-get -o DPkg::Lock::Timeout=120 update -q >/dev/null
    apt_updated=1
  fi
  say "installing Debian packages: ${missing[*]}"
  retry 5 env DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=120 install -y -q "${extra[@]}" "${missing[@]}" >/dev/null
}

pip_install() {
  retry 5 .venv/bin/python -m pip install -q --retries 5 --timeout 60 "$@"
}

# Graphviz draws the static figures (render --format svg|png|pdf, /maps/…?format=), with the
# Noto CJK fonts for Chinese labels.
apt_install graphviz fonts-noto-cjk
# LibreOffice (headless, no GUI) reads .doc and .wps plans (loaders/read_office.py).
apt_install --lean libreoffice-writer-nogui

if [ ! -x .venv/bin/python ]; then
  say "creating the virtualenv .venv"
  python3 -m venv .venv
fi
say "upgrading pip"
pip_install --upgrade pip
if [ "$want_test" = "--test" ]; then
  say "installing plangraph and its test dependencies into .venv (pinned in pyproject.toml)"
  pip_install -e '.[test]'
  # chromium: the map and docs tests; fonts: CJK labels; wrk: the benchmark's HTTP load
  apt_install chromium fonts-wqy-microhei wrk
  if [ -f tests/cypher/package.json ]; then
    say "installing the Cypher linter's Node packages (tests/cypher)"
    (cd tests/cypher && retry 5 npm ci --silent --no-audit --no-fund >/dev/null)
  fi
else
  say "installing plangraph and its dependencies into .venv (pinned in pyproject.toml)"
  pip_install -e .
fi
say "done"
