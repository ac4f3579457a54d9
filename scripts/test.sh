#!/usr/bin/env bash
# Set up everything (see setup.sh --test) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
exec .venv/bin/python -m pytest -q "$@"
