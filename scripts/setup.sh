#!/usr/bin/env bash
# Set up everything plangraph needs on a fresh machine (Python 3.11, pip; Debian; npm):
# a virtualenv with the project and its pinned dependencies; with --test also the test tools
# (Debian's chromium for the map tests, wrk for the benchmark's HTTP load, the Node packages of
# the Cypher linter).
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=${1:-}

# Debian packages, installed with a message, retried while another apt/dpkg holds the lock.
apt_install() {
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if $SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "$@" >/dev/null; then
      return 0
    fi
    echo "setup: apt is busy or failed (attempt $attempt); retrying in 15 s" >&2
    sleep 15
  done
  echo "setup: could not install $* with apt-get" >&2
  return 1
}

# LibreOffice (Writer, no GUI) reads Word 97 .doc and WPS .wps plans (loaders/read_office.py).
if ! command -v soffice >/dev/null 2>&1; then
  echo "setup: installing libreoffice-writer-nogui (reads .doc and .wps plans)"
  apt_install libreoffice-writer-nogui
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$want_test" = "--test" ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
  if ! command -v chromium >/dev/null 2>&1 || ! command -v wrk >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi wqy; then
    if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
    $SUDO apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium fonts-wqy-microhei wrk >/dev/null
  fi
  if [ -f tests/cypher/package.json ]; then
    (cd tests/cypher && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
else
  .venv/bin/python -m pip install -q -e .
fi
