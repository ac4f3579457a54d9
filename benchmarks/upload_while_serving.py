"""Comparisons under load while a plan is uploaded: what a write costs the requests around it.

Starts ``plangraph serve --workers W`` on a copy of a store, sends ``GET /compare`` for pairs of its
jurisdictions from ``wrk`` at a fixed concurrency in windows of ``--window`` seconds, uploads
``--plan`` (``POST /plans``, to whichever worker takes it) at the start of the second window, and
prints requests per second and p50/p99/max latency per window, as a table and JSON. Every worker
reads the one SQLite store file: the other worker answers from the new plan at its next question;
the uploading worker computes and keeps the themes of the new plans before it answers 201.

    python benchmarks/upload_while_serving.py --db /tmp/work/graph-w2.bin --plan /tmp/national/02222_x.txt
    python benchmarks/upload_while_serving.py --db DB --plan FILE --windows 4 --window 10 --concurrency 32

The plan is uploaded with one word changed, so that it is a new version of its plan (its source
hash differs) whatever the store holds. Everything listens on 127.0.0.1; needs ``wrk``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import Server, log, wrk_available, wrk_load  # noqa: E402  (a sibling script, not a package)

#: What the server started here takes as its upload bearer, made anew each run.
BEARER = secrets.token_urlsafe(24)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="an embedded store file (copied, never written)")
    ap.add_argument("--plan", type=Path, required=True, help="a plan file to upload (one word changed)")
    ap.add_argument("--windows", type=int, default=4, help="windows of load; the upload starts the second")
    ap.add_argument("--window", type=float, default=10.0, help="seconds per window")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--pairs", type=int, default=150, help="pairs of jurisdictions the comparisons rotate over")
    ap.add_argument("--serve-workers", type=int, default=2)
    ap.add_argument("--json-out", type=Path)
    args = ap.parse_args()
    if not wrk_available():
        sys.exit("wrk is not installed (scripts/setup.sh --test installs it)")
    work = Path(tempfile.mkdtemp(prefix="plangraph-upload-"))
    try:
        report = run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(table(report))
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json_out:
        args.json_out.write_text(text + "\n", encoding="utf-8")


def _copy_store(source: Path, target: Path) -> None:
    """A consistent copy of a store file, with what its write-ahead log holds (SQLite's backup)."""
    import sqlite3

    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    db = work / "graph.bin"
    _copy_store(args.db, db)
    os.environ.update(PLANGRAPH_API_TOKEN=BEARER)
    server = Server(db, "embedded", work, workers=args.serve_workers)
    try:
        server.wait_healthy()
        server.wait_warm(args.serve_workers)
        time.sleep(2)
        urls = _compare_urls(server.base, args.pairs)

        def window() -> dict[str, Any]:
            return _row(wrk_load(server.base, urls, args.concurrency, args.window, work))

        windows: list[dict[str, Any]] = [{"window": "before", **window()}]
        with ThreadPoolExecutor(1) as pool:  # the upload while wrk's window runs
            during = pool.submit(window)
            time.sleep(0.2)
            upload = _upload(server.base, args.plan)
            log(f"upload: {upload['status']} in {upload['seconds']} s")
            windows.append({"window": "with the upload", **during.result()})
        for i in range(2, args.windows):
            windows.append({"window": f"+{(i - 1) * args.window:g} s", **window()})
    finally:
        server.stop()
    return {"db": str(args.db), "plan": str(args.plan), "concurrency": args.concurrency, "window_s": args.window,
            "serve_workers": args.serve_workers, "upload": upload, "windows": windows}


def _compare_urls(base: str, pairs: int) -> list[str]:
    places = [j["name"] for j in httpx.get(f"{base}/jurisdictions", timeout=120).json()][: 2 * pairs]
    return [f"/compare?a={quote(a)}&b={quote(b)}" for a, b in zip(places[::2], places[1::2])]


def _row(load: dict[str, Any]) -> dict[str, Any]:
    return {"requests": load["sent"], "req_per_s": load["rps"], "errors": load["error_count"],
            "p50_ms": load["p50_ms"], "p99_ms": load["p99_ms"], "max_ms": load["max_ms"]}


def _upload(base: str, plan: Path) -> dict[str, Any]:
    text = plan.read_text(encoding="utf-8")
    data = text.replace("科普", "科学普及", 1).encode("utf-8") if "科普" in text else (text + "\n").encode("utf-8")
    started = time.perf_counter()
    r = httpx.post(f"{base}/plans", files={"file": (plan.name, data)}, headers={"Authorization": f"Bearer {BEARER}"},
                   timeout=600)
    return {"status": r.status_code, "seconds": round(time.perf_counter() - started, 2)}


def table(report: dict[str, Any]) -> str:
    lines = [f"comparisons at concurrency {report['concurrency']}, {report['window_s']:g} s windows, "
             f"serve --workers {report['serve_workers']}; upload {report['upload']['status']} "
             f"in {report['upload']['seconds']} s at the start of the second window",
             f"  {'window':<18}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}"]
    for w in report["windows"]:
        lines.append(f"  {w['window']:<18}{w['req_per_s']:>8}{w['p50_ms']:>9}{w['p99_ms']:>9}{w['max_ms']:>9}"
                     f"{w['errors']:>8}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
