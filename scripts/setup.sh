#!/usr/bin/env bash
# Set up everything plangraph needs on a fresh machine (Python 3.11, pip; Debian; npm):
# a virtualenv with the project and its pinned dependencies; with --test also the test tools
# (Debian's chromium for the map tests, wrk for the benchmark's HTTP load, the Node packages of
# the Cypher linter).
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=${1:-}

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
