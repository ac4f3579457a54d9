#!/usr/bin/env bash
# Set up, load the plans found under the given paths into the embedded store, and serve the API.
#   ./scripts/run.sh ../shared/seeds            (then open http://127.0.0.1:8000/docs)
#   WORKERS=2 ./scripts/run.sh corpus/          (one server process per core, for a national graph)
set -euo pipefail
[ "$#" -ge 1 ] || { echo "usage: $0 PLAN_FILE_OR_FOLDER..." >&2; exit 2; }
paths=()
for p in "$@"; do paths+=("$(realpath -m -- "$p")"); done
cd "$(dirname "$0")/.."
set -- "${paths[@]}"
./scripts/setup.sh
.venv/bin/plangraph load "$@" || echo "some files failed to load (see above); serving what loaded" >&2
exec .venv/bin/plangraph serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" --workers "${WORKERS:-1}"
