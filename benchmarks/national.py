"""The national benchmark: a corpus of ~3,200 plans parsed, loaded, asked and served.

Prints a table and JSON (the figures of BENCHMARKS.md):

- parse throughput (plans/s, MB/s) beside a bare read-and-decode of the same files, and the ratio
  (CPU time, median of interleaved rounds: the ratio is the figure that survives a busy machine);
- ``plangraph load`` of the corpus as a real command, per worker count: wall and CPU time, peak
  memory (largest process, from getrusage; whole process tree, sampled with psutil);
- the store file's size; one CLI answer from a fresh process beside ``plangraph --help``; the
  questions answered in one process beside a bare ``sqlite3`` query of the same question on the
  same file; one plan stored again and seen by another connection; ``check`` of the whole store;
- the HTTP API: ``plangraph serve --workers W`` started as a subprocess on a loopback port, then
  per question requests per second and p50/p99 latency at a fixed concurrency, over ``--places``
  jurisdictions per question (disjoint sets, so that one question does not warm another's):
  the time from start to a correct answer (no warm-up needed), then
  first each place asked once (the first pass; with ``--no-prewarm`` nothing of it is made yet),
  then ``--seconds`` of steady load rotating over them. The server is measured once /health says
  it is warm on every worker. The load comes from a separate process: ``wrk`` (Debian's package; C, one
  thread, ``--concurrency`` keep-alive connections) when it is installed, else an asyncio httpx
  client (which needs about a core of its own, so it measures less than the server can do);
- ``--soak S``: the issue-8 load test, the questions mixed for S seconds, throughput per 5 s and
  the error count (the goal: zero).

    python benchmarks/national.py                                  # 3,200 plans, all of the above
    python benchmarks/national.py --corpus /tmp/national --soak 60  # keep/reuse the corpus
    python benchmarks/national.py --plans 20 --requests 50 --concurrency 4 --workers 1   # a smoke run
    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=… python benchmarks/national.py --store neo4j

Everything listens on 127.0.0.1 only; the temporary folder is removed unless ``--keep``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
AGENCY = "县科协"
LOOPBACK = "127.0.0.1"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "nproc": cores, "cpu": cpu or platform.processor(), "memory_gib": round(mem / 2**30, 1),
        "python": platform.python_version(), "platform": platform.platform(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# --- the corpus -------------------------------------------------------------------------------


def corpus(folder: Path, plans: int, seed: int) -> list[Path]:
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if len(files) != plans:
        from plangraph.synth import write_corpus

        if folder.is_dir() and any(folder.iterdir()):
            if not (folder / "manifest.json").is_file():
                raise SystemExit(f"{folder} holds other files than a synthetic corpus: give another --corpus")
            shutil.rmtree(folder)
        log(f"writing {plans} synthetic plans to {folder}")
        started = time.perf_counter()
        write_corpus(plans, folder, seed)
        log(f"  written in {time.perf_counter() - started:.1f} s")
        files = sorted(folder.glob("*.txt"))
    return files


# --- parse throughput -------------------------------------------------------------------------


def _spread(files: list[Path], n: int) -> list[Path]:
    if n >= len(files):
        return list(files)
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


def _cpu_per_step(steps: dict[str, Any], files: list[Path], rounds: int) -> dict[str, dict[str, float]]:
    """CPU and wall ms per plan of each step over ``files``, median of ``rounds``; the steps
    interleaved round by round, so that a burst of load elsewhere hits them all alike."""
    size = sum(f.stat().st_size for f in files)
    times: dict[str, list[float]] = {k: [] for k in steps}
    walls: dict[str, list[float]] = {k: [] for k in steps}
    for _ in range(rounds):
        for name, fn in steps.items():
            cpu, wall = time.process_time(), time.perf_counter()
            for f in files:
                fn(f)
            times[name].append(time.process_time() - cpu)
            walls[name].append(time.perf_counter() - wall)
    out = {}
    for name in steps:
        cpu = statistics.median(times[name])
        out[name] = {
            "ms_per_plan": round(1000 * cpu / len(files), 4),
            "plans_per_s": round(len(files) / cpu, 1),
            "mb_per_s": round(size / 1e6 / cpu, 2),
            "wall_ms_per_plan": round(1000 * statistics.median(walls[name]) / len(files), 4),
        }
    return out


def parse_throughput(files: list[Path], rounds: int) -> dict[str, Any]:
    """CPU ms per plan for: bare read+decode, parse, parse + graph records, and two floors;
    median of rounds."""
    from plangraph.graph.build import build_records
    from plangraph.graph.heap import no_gc
    from plangraph.graph.model import Plan
    from plangraph.loaders import parse_file
    from plangraph.loaders.normalize import _t2s

    def bare(path: Path) -> object:
        return path.read_bytes().decode("utf-8")

    def parse_build(path: Path) -> object:
        return build_records(parse_file(path))

    for f in files[:5]:  # warm: tables, regexes, the file cache
        parse_build(f)
    size = sum(f.stat().st_size for f in files)
    out: dict[str, Any] = {"files": len(files), "mb": round(size / 1e6, 2), "rounds": rounds}
    out.update(_cpu_per_step({"bare read+decode": bare, "parse": parse_file, "parse+records": parse_build},
                             files, rounds))

    # Floors: what any parser that hands back the same ``Plan`` pays in CPython, however fast its
    # extraction: validating the finished fields into the model (pydantic-core, compiled) and the
    # traditional -> simplified pass over the text (OpenCC, compiled). Timed after the steps above
    # (the prepared fields, alive, would make their collections slower) and frozen out of the
    # collector's sight, as a parse sees only its own objects.
    finished = {f: parse_file(f).model_dump() for f in files}
    texts = {f: bare(f) for f in files}
    converter = _t2s()

    def floor_model(path: Path) -> object:
        with no_gc():  # as parse_file runs
            return Plan.model_validate(finished[path])

    def floor_t2s(path: Path) -> object:
        return converter.convert(texts[path])

    gc.freeze()
    try:
        out.update(_cpu_per_step({"floor: model from fields": floor_model, "floor: t2s over text": floor_t2s},
                                 files, rounds))
    finally:
        gc.unfreeze()
    bare_ms = out["bare read+decode"]["ms_per_plan"]
    out["ratio_parse_to_bare"] = round(out["parse"]["ms_per_plan"] / bare_ms, 1)
    out["ratio_parse_records_to_bare"] = round(out["parse+records"]["ms_per_plan"] / bare_ms, 1)
    out["ratio_floors_to_bare"] = round(
        (out["floor: model from fields"]["ms_per_plan"] + out["floor: t2s over text"]["ms_per_plan"]) / bare_ms, 1)
    return out


# --- processes: memory and time ---------------------------------------------------------------


def run_measured(cmd: list[str], timeout: float = 3600) -> dict[str, Any]:
    """Run ``cmd``; wall time, its CPU (with its children), peak RSS of its largest process
    (getrusage over the waited-for descendants, exact) and of its whole process tree (sampled
    every 0.1 s with psutil)."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = psutil.Popen(cmd, stdout=out, stderr=err)
        peak_tree = 0
        while proc.poll() is None:
            if time.perf_counter() - started > timeout:
                proc.kill()
                proc.wait()
                raise RuntimeError(f"{cmd[:4]} ran over {timeout} s")
            try:
                tree = [proc, *proc.children(recursive=True)]
                peak_tree = max(peak_tree, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "returncode": proc.returncode, "wall_s": round(wall, 2),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "peak_rss_largest_process_mb": round(after.ru_maxrss / 1024, 1),  # kB on Linux
        "peak_rss_process_tree_mb": round(peak_tree / 2**20, 1),
        "stdout": stdout.decode("utf-8", "replace"),
        "stderr_tail": stderr.decode("utf-8", "replace")[-2000:],
    }


def plangraph_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "plangraph", *args]


def load(folder: Path, db: Path | None, workers: int, store: str) -> dict[str, Any]:
    if db is not None and db.exists():
        db.unlink()
    args = ["load", str(folder), "--workers", str(workers), "--json", "--store", store]
    if db is not None:
        args += ["--db", str(db)]
    result = run_measured(plangraph_cmd(*args))
    if result["returncode"] != 0:
        raise RuntimeError(f"load failed ({result['returncode']}): {result['stderr_tail']}")
    summary = json.loads(result.pop("stdout"))
    result.pop("stderr_tail")
    result.update(workers=workers, plans=summary["plans"], tasks=summary["tasks"], edges=summary["edges"],
                  assignments=summary["assignments"], failed=len(summary["failed"]))
    result["plans_per_s"] = round(summary["plans"] / result["wall_s"], 1)
    return result


CLI_QUESTION = ("tasks", "--agency", AGENCY, "--role", "lead", "--json")


def fresh_process(db: Path, place: str, repeat: int) -> dict[str, Any]:
    """One CLI answer from a fresh process (``plangraph tasks --agency 县科协 --role lead
    --jurisdiction X --json``) beside ``plangraph --help`` (the start-up reference), interleaved,
    median of ``repeat``; and the answer's peak memory."""
    help_s, answer_s, rss = [], [], []
    for _ in range(repeat):
        r = run_measured(plangraph_cmd("--help"))
        help_s.append(r["wall_s"])
        r = run_measured(plangraph_cmd(*CLI_QUESTION, "--jurisdiction", place, "--db", str(db)))
        if r["returncode"] != 0:
            raise RuntimeError(f"the CLI question failed: {r['stderr_tail']}")
        answer_s.append(r["wall_s"])
        rss.append(r["peak_rss_largest_process_mb"])
    h, q = statistics.median(help_s), statistics.median(answer_s)
    return {"help_s": h, "help_s_runs": help_s, "cli_answer_s": q, "cli_answer_s_runs": answer_s,
            "cli_answer_peak_rss_mb": statistics.median(rss), "cli_answer_to_help": round(q / h, 2)}


IN_PROCESS = """
import json, sqlite3, statistics, sys, time
db, places, agency = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
started = time.perf_counter()
from plangraph.graph.embedded import EmbeddedStore
from plangraph.queries import NameCatalog, profile, tasks_for
store = EmbeddedStore(db, create=False)
catalog = NameCatalog(store)
store.generation
opened = time.perf_counter() - started
bare = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
AGENCIES = ("a.n IN (SELECT agency FROM agency_keys WHERE key IN (SELECT value FROM json_each(?))) "
            "AND (a.name LIKE ? OR a.props LIKE ?)")  # the query layer's keys for the name, and its level
ROLE = ("SELECT t.id, t.title, a.id, a.name, r.spelling, r.span_start, r.span_end, t.props FROM agencies a "
        "JOIN plans p ON p.n = a.plan AND p.current JOIN roles r ON r.agency = a.n AND r.role = 0 "
        "JOIN tasks t ON t.n = r.task WHERE " + AGENCIES + " {where} "
        "ORDER BY p.jurisdiction, t.action_seq, t.seq, a.id LIMIT 50")
COUNT = ("SELECT COUNT(*) FROM agencies a JOIN plans p ON p.n = a.plan AND p.current "
         "JOIN roles r ON r.agency = a.n AND r.role = 0 WHERE " + AGENCIES + " {where}")
from plangraph.queries.names import lookup_keys
KEYS = (json.dumps(lookup_keys(agency, None)), agency[0] + "%", '%"spellings":["' + agency[0] + '%')

def bare_tasks(place):
    where, args = ("AND p.jurisdiction = ?", (*KEYS, place)) if place else ("", KEYS)
    rows = bare.execute(ROLE.format(where=where), args).fetchall()
    return bare.execute(COUNT.format(where=where), args).fetchone()[0], rows

def bare_profile(place):
    (n,) = bare.execute("SELECT n FROM plans WHERE jurisdiction = ? AND current", (place,)).fetchone()
    out = [bare.execute("SELECT jprops, props FROM plans WHERE n = ?", (n,)).fetchall()]
    for sql in ("SELECT props FROM actions WHERE plan = ?", "SELECT title, text, props FROM tasks WHERE plan = ?",
                "SELECT props FROM agencies WHERE plan = ?",
                "SELECT r.role, r.spelling, r.span_start, r.span_end, a.id, a.name, t.id FROM roles r "
                "JOIN agencies a ON a.n = r.agency JOIN tasks t ON t.n = r.task WHERE r.plan = ?",
                "SELECT l.spelling, a.id, x.props FROM action_leads l JOIN agencies a ON a.n = l.agency "
                "JOIN actions x ON x.n = l.action WHERE l.plan = ?"):
        out.append(bare.execute(sql, (n,)).fetchall())
    return out

def timed(fn, args_list, rounds=2):
    times = []
    for r in range(rounds):
        for args in args_list:
            t = time.perf_counter(); fn(*args); dt = time.perf_counter() - t
            if r == rounds - 1:
                times.append(dt * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 3), "p99_ms": round(times[int(0.99 * (len(times) - 1))], 3)}

out = {"open_s": round(opened, 4)}
questions = {
    "tasks an agency leads, in a jurisdiction": (
        lambda p: tasks_for(catalog, agency=agency, role="lead", jurisdiction=p), bare_tasks, [(p,) for p in places]),
    "tasks an agency leads, every jurisdiction": (
        lambda p: tasks_for(catalog, agency=agency, role="lead"), bare_tasks, [(None,)] * 20),
    "a jurisdiction's profile": (lambda p: profile(catalog, p), bare_profile, [(p,) for p in places]),
}
for name, (ours, reference, args) in questions.items():
    out[name] = {"plangraph": timed(ours, args), "bare_sqlite": timed(reference, args)}
    out[name]["ratio_p50"] = round(out[name]["plangraph"]["p50_ms"] / out[name]["bare_sqlite"]["p50_ms"], 2)
total = tasks_for(catalog, agency=agency, role="lead").total
out["every jurisdiction totals: plangraph, bare"] = [total, bare_tasks(None)[0]]
import resource
out["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
print(json.dumps(out))
"""


def in_process(db: Path, places: list[str]) -> dict[str, Any]:
    """The questions answered in one process through the query layer (what the API does per
    request) beside a bare ``sqlite3`` query of the same question on the same file, same run."""
    proc = subprocess.run([sys.executable, "-c", IN_PROCESS, str(db), json.dumps(places), AGENCY],
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"in-process timing failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


WRITE_ONE = """
import json, shutil, sys, time
from pathlib import Path
from plangraph.graph.build import build_records
from plangraph.graph.embedded import EmbeddedStore
from plangraph.loaders import parse_file
copy = Path(sys.argv[1] + ".bench-upload")
shutil.copyfile(sys.argv[1], copy)
path = Path(sys.argv[2])
recs = build_records(parse_file(path), source=path.read_bytes())
writer, reader = EmbeddedStore(copy), EmbeddedStore(copy)
before = reader.generation
started = time.perf_counter()
writer.replace_plan(recs)
written = time.perf_counter() - started
started = time.perf_counter()
seen = reader.generation != before and reader.jurisdiction(recs.jurisdiction) is not None
out = {"write_one_plan_s": written, "another_connection_sees_it_s": time.perf_counter() - started, "seen": seen}
started = time.perf_counter()
report = writer.check()
out["check_s"] = time.perf_counter() - started
out["check_ok"] = report.ok
writer.close(); reader.close()
for p in copy.parent.glob(copy.name + "*"):
    p.unlink()
print(json.dumps(out))
"""


def write_one(db: Path, plan_file: Path) -> dict[str, Any]:
    """One plan stored again in a copy of the national store, another connection (as another
    process has) seeing it, and ``check`` of the whole store."""
    proc = subprocess.run([sys.executable, "-c", WRITE_ONE, str(db), str(plan_file)], capture_output=True, text=True,
                          timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"write of one plan failed: {proc.stderr[-1000:]}")
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in json.loads(proc.stdout).items()}


def county_places(db: Path, count: int) -> list[str]:
    """Up to ``count`` counties where 县科协 leads a task, spread over the store."""
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT DISTINCT p.jurisdiction FROM agency_keys k JOIN agencies a ON a.n = k.agency "
            "JOIN plans p ON p.n = a.plan AND p.current JOIN roles r ON r.agency = a.n AND r.role = 0 "
            "WHERE k.key = ? ORDER BY p.jurisdiction", (AGENCY,))]
    step = max(1, len(names) // max(count, 1))
    return names[::step][:count]


# --- the API ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Server:
    """``plangraph serve`` on a loopback port, its output in a log file."""

    def __init__(self, db: Path | None, store: str, workdir: Path, workers: int = 1, prewarm: bool = True) -> None:
        self.port = free_port()
        self.base = f"http://{LOOPBACK}:{self.port}"
        args = ["serve", "--store", store, "--host", LOOPBACK, "--port", str(self.port), "--workers", str(workers)]
        if db is not None:
            args += ["--db", str(db)]
        self.log_path = workdir / "serve.log"
        self._log = self.log_path.open("wb")
        self.started = time.perf_counter()
        env = {**os.environ, "PLANGRAPH_PREWARM": "1" if prewarm else "0"}
        self.proc = subprocess.Popen(plangraph_cmd(*args), stdout=self._log, stderr=subprocess.STDOUT, env=env)

    def wait_healthy(self, timeout: float = 300) -> float:
        import httpx

        while time.perf_counter() - self.started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"plangraph serve exited ({self.proc.returncode}): {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base}/health", timeout=5).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"plangraph serve not healthy after {timeout} s")

    def wait_correct(self, path: str, expected: Any, timeout: float = 300) -> float:
        """Seconds from start until ``GET path`` answers 200 with exactly ``expected``."""
        import httpx

        while time.perf_counter() - self.started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"plangraph serve exited ({self.proc.returncode}): {self.log_path.read_text()[-2000:]}")
            try:
                r = httpx.get(f"{self.base}{path}", timeout=30)
                if r.status_code == 200 and r.json() == expected:
                    return time.perf_counter() - self.started
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"plangraph serve gave no correct answer to {path} within {timeout} s")

    def rss_per_process_mb(self) -> list[float]:
        """Resident memory of each process (the supervisor and each worker)."""
        import psutil

        root = psutil.Process(self.proc.pid)
        return [round(p.memory_info().rss / 2**20, 1) for p in [root, *root.children(recursive=True)]]

    def wait_warm(self, workers: int, timeout: float = 900) -> float:
        """Seconds from start until /health says ``warm`` on 4 x ``workers`` fresh connections in a
        row (each may reach another worker process)."""
        import httpx

        streak = 0
        while streak < 4 * workers:
            if time.perf_counter() - self.started > timeout:
                raise RuntimeError(f"plangraph serve not warm after {timeout} s")
            with httpx.Client(timeout=30) as client:
                streak = streak + 1 if client.get(f"{self.base}/health").json().get("warm") else 0
            if not streak:
                time.sleep(0.5)
        return time.perf_counter() - self.started

    def rss_mb(self) -> float:
        """Resident memory of the server and its worker processes."""
        import psutil

        root = psutil.Process(self.proc.pid)
        return round(sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 2**20, 1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def get_json(url: str) -> Any:
    import httpx

    r = httpx.get(url, timeout=120)
    r.raise_for_status()
    return r.json()


def question_urls(base: str, count: int) -> tuple[float, dict[str, list[str]]]:
    """URLs for the main questions, each over its own ``count`` county jurisdictions where 县科协
    leads some task (spread over the corpus); and how long the first name look-up took (it may
    wait for the API's name catalogue)."""
    import httpx

    rows = get_json(f"{base}/jurisdictions")
    names = [r["name"] for r in rows if r.get("level") == "county"] or [r["name"] for r in rows]
    step = max(1, len(names) // (3 * count))
    places: list[str] = []
    first_lookup = -1.0
    with httpx.Client(base_url=base, timeout=120) as client:
        for name in names[::step] + [n for i, n in enumerate(names) if i % step]:
            started = time.perf_counter()
            r = client.get("/tasks", params={"agency": AGENCY, "role": "lead", "jurisdiction": name, "limit": 1})
            if first_lookup < 0:
                first_lookup = time.perf_counter() - started
            if r.status_code == 200 and r.json()["total"] > 0:
                places.append(name)
            if len(places) == 3 * count:
                break
    if len(places) < 6:
        raise RuntimeError(f"fewer than six jurisdictions where {AGENCY} leads a task")
    third = len(places) // 3
    tasks_at, profiles, compared = places[:third], places[third : 2 * third], places[2 * third : 3 * third]
    q = quote
    return first_lookup, {
        "tasks an agency leads, in a jurisdiction": [
            f"/tasks?agency={q(AGENCY)}&role=lead&jurisdiction={q(p)}" for p in tasks_at],
        "tasks an agency leads, every jurisdiction": [f"/tasks?agency={q(AGENCY)}&role=lead"],
        "a jurisdiction's profile": [f"/jurisdictions/{q(p)}" for p in profiles],
        "compare two jurisdictions": [
            f"/compare?a={q(a)}&b={q(b)}" for a, b in zip(compared[::2], compared[1::2])],
    }


def wrk_available() -> str | None:
    return shutil.which("wrk")


def wrk_load(
    base: str, urls: list[str], concurrency: int, seconds: float, workdir: Path, once: bool = False,
) -> dict[str, Any]:
    """``seconds`` of ``wrk`` (one thread, ``concurrency`` connections) rotating over ``urls``;
    ``once``: until each URL was asked once (or ``seconds`` passed)."""
    paths = workdir / "wrk-paths.txt"
    paths.write_text("\n".join(urls) + "\n", encoding="utf-8")
    cmd = ["wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
           "-s", str(Path(__file__).with_name("wrk_rotate.lua")), base]
    env = {**os.environ, "WRK_PATHS": str(paths), "WRK_ONCE": "1" if once else "0"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=seconds + 120)
    line = next((x for x in reversed(proc.stdout.splitlines()) if x.startswith("{")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stdout[-1500:]} {proc.stderr[-1500:]}")
    r = json.loads(line)
    errors = r["socket_errors"] + r["status_errors"]
    return {
        "client": "wrk", "sent": r["requests"], "ok": r["requests"] - r["status_errors"], "error_count": errors,
        "errors": {"socket": r["socket_errors"], "status": r["status_errors"]}, "seconds": r["seconds"],
        # once: wrk waits out -d after its thread stopped, so its duration says nothing of the rate
        "rps": None if once else round(r["requests"] / r["seconds"], 1) if r["seconds"] else 0.0,
        "p50_ms": r["p50_ms"], "p90_ms": r["p90_ms"], "p99_ms": r["p99_ms"], "max_ms": r["max_ms"],
        "concurrency": concurrency, "urls": len(urls),
    }


def loadgen(base: str, urls: list[str], requests: int, concurrency: int, seconds: float,
            timeout: float = 60) -> dict[str, Any]:
    """Run the load generator in a separate process (this file, ``--loadgen``) and read its JSON."""
    spec = {"base": base, "urls": urls, "requests": requests, "concurrency": concurrency,
            "seconds": seconds, "timeout": timeout}
    proc = subprocess.run([sys.executable, __file__, "--loadgen"], input=json.dumps(spec), capture_output=True,
                          text=True, timeout=seconds + timeout + 120)
    if proc.returncode != 0:
        raise RuntimeError(f"load generator failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


async def _generate(spec: dict[str, Any]) -> dict[str, Any]:
    """``concurrency`` clients on keep-alive connections, each sending its next request as soon as
    its last one is answered, until ``requests`` were sent or ``seconds`` passed."""
    import httpx

    urls, total, conc = spec["urls"], spec["requests"], spec["concurrency"]
    limits = httpx.Limits(max_connections=conc, max_keepalive_connections=conc)
    latencies: list[float] = []
    finished: list[float] = []
    errors: Counter[str] = Counter()
    sent = 0
    started = time.perf_counter()
    deadline = started + spec["seconds"]
    semaphore = asyncio.Semaphore(conc)

    async with httpx.AsyncClient(base_url=spec["base"], limits=limits, timeout=spec["timeout"]) as client:

        async def client_loop() -> None:
            nonlocal sent
            while sent < total and time.perf_counter() < deadline:
                url = urls[sent % len(urls)]
                sent += 1
                async with semaphore:
                    t = time.perf_counter()
                    try:
                        response = await client.get(url)
                        status = response.status_code
                    except httpx.HTTPError as exc:
                        status = type(exc).__name__
                    done = time.perf_counter()
                if status == 200:
                    latencies.append(done - t)
                    finished.append(done - started)
                else:
                    errors[str(status)] += 1

        await asyncio.gather(*(client_loop() for _ in range(conc)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float | None:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2) if latencies else None

    buckets = Counter(int(t // 5) for t in finished)
    per_5s = [round(buckets.get(i, 0) / 5, 1) for i in range(int(elapsed // 5))]  # whole buckets only
    return {
        "sent": sent, "ok": len(latencies), "errors": dict(errors), "error_count": sum(errors.values()),
        "seconds": round(elapsed, 2), "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99),
        "max_ms": round(1000 * latencies[-1], 2) if latencies else None,
        "rps_per_5s": per_5s, "concurrency": spec["concurrency"],
    }


def api(db: Path | None, store: str, workdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    server = Server(db, store, workdir, args.serve_workers, prewarm=not args.no_prewarm)
    out: dict[str, Any] = {"serve_workers": args.serve_workers, "prewarm": not args.no_prewarm}
    use_wrk = args.client == "wrk" or (args.client == "auto" and wrk_available())
    out["client"] = "wrk" if use_wrk else "httpx"
    try:
        if db is not None and store == "embedded":  # the answer a fresh server must give, from the file
            import orjson  # the API's JSON is the CLI's JSON of the same question

            place = county_places(db, 1)[0]
            expected = json.loads(subprocess.run(
                plangraph_cmd(*CLI_QUESTION, "--jurisdiction", place, "--db", str(db)),
                capture_output=True, text=True, check=True).stdout)
            path = f"/tasks?agency={quote(AGENCY)}&role=lead&jurisdiction={quote(place)}"
            out["start_to_correct_answer_s"] = round(server.wait_correct(path, expected), 2)
            log(f"  a correct answer {out['start_to_correct_answer_s']} s after start")
        out["start_to_healthy_s"] = round(server.wait_healthy(), 2)
        log(f"  serve --workers {args.serve_workers} healthy after {out['start_to_healthy_s']} s")
        out["start_to_warm_s"] = round(server.wait_warm(args.serve_workers), 2)
        log(f"  warm (names, themes, rows made) after {out['start_to_warm_s']} s")
        time.sleep(args.settle)
        first_lookup, urls = question_urls(server.base, args.places)
        out["first_name_lookup_ms"] = round(1000 * first_lookup, 1)
        out["places_per_question"] = {name: len(group) for name, group in urls.items()}
        cold: dict[str, Any] = {}
        for name, group in urls.items():  # each place asked once (cold with --no-prewarm)
            if use_wrk and len(group) > args.concurrency:
                cold[name] = wrk_load(server.base, group, args.concurrency, min(args.seconds, 10), workdir, once=True)
            else:
                cold[name] = loadgen(server.base, group, len(group), args.concurrency, args.seconds)
        out["cold"] = cold
        single: dict[str, Any] = {}
        questions: dict[str, Any] = {}
        for name, group in urls.items():
            log(f"  {name}: {args.seconds:g} s at concurrency {args.concurrency} ({out['client']})")
            alone = loadgen(server.base, group, min(args.requests, 200), 1, min(args.seconds, 20))
            single[name] = {k: alone[k] for k in ("p50_ms", "p99_ms", "rps", "ok", "error_count")}
            if use_wrk:
                questions[name] = wrk_load(server.base, group, args.concurrency, args.seconds, workdir)
            else:
                questions[name] = loadgen(server.base, group, args.requests, args.concurrency, args.seconds)
        out["at_concurrency_1"] = single
        out["questions"] = questions
        if args.soak > 0:
            mixed = [u for group in zip(*(urls[k] for k in urls if len(urls[k]) > 1)) for u in group]
            mixed += urls["tasks an agency leads, every jurisdiction"]
            log(f"  soak: {args.soak} s of mixed questions at concurrency {args.concurrency}")
            if use_wrk:
                out["soak"] = wrk_load(server.base, mixed, args.concurrency, args.soak, workdir)
            else:
                out["soak"] = loadgen(server.base, mixed, args.soak * 5000, args.concurrency, args.soak)
            out["soak"]["mix"] = ("rotating: tasks an agency leads in a jurisdiction, a profile and a comparison "
                                  "over their places, and tasks an agency leads in every jurisdiction")
        out["server_rss_mb"] = server.rss_mb()
        out["rss_per_process_mb"] = server.rss_per_process_mb()
    finally:
        server.stop()
    return out


# --- report -----------------------------------------------------------------------------------


def table(report: dict[str, Any]) -> str:
    lines = []
    m = report["machine"]
    lines.append(f"machine: {m['nproc']} cores, {m['cpu']}, {m['memory_gib']} GiB, Python {m['python']}, "
                 f"load average {m['loadavg_at_start']} at start, {m.get('loadavg_at_end')} at end")
    if "parse" in report:
        p = report["parse"]
        lines.append(f"\nparse ({p['files']} plans, {p['mb']} MB, median of {p['rounds']} rounds, CPU time)")
        lines.append(f"  {'step':<26}{'ms/plan':>10}{'plans/s':>10}{'MB/s':>9}")
        for step in ("bare read+decode", "parse", "parse+records", "floor: model from fields", "floor: t2s over text"):
            r = p[step]
            lines.append(f"  {step:<26}{r['ms_per_plan']:>10}{r['plans_per_s']:>10}{r['mb_per_s']:>9}")
        lines.append(f"  ratio parse / bare read: {p['ratio_parse_to_bare']}x "
                     f"(with graph records: {p['ratio_parse_records_to_bare']}x; "
                     f"the two floors together: {p['ratio_floors_to_bare']}x)")
        if "seeds" in report:
            s = report["seeds"]
            lines.append(f"  seeds ({s['files']} real plans): parse {s['parse']['ms_per_plan']} ms/plan, "
                         f"ratio {s['ratio_parse_to_bare']}x")
    if report.get("load"):
        lines.append("\nload (plangraph load, a real process)")
        lines.append(f"  {'workers':<9}{'wall s':>8}{'CPU s':>8}{'plans/s':>9}{'peak RSS MB':>13}{'tree MB':>9}")
        for r in report["load"]:
            lines.append(f"  {r['workers']:<9}{r['wall_s']:>8}{r['cpu_s']:>8}{r['plans_per_s']:>9}"
                         f"{r['peak_rss_largest_process_mb']:>13}{r['peak_rss_process_tree_mb']:>9}")
        r = report["load"][0]
        lines.append(f"  {r['plans']} plans, {r['tasks']} tasks, {r['edges']} edges ({r['assignments']} agency-task)")
    if "store" in report:
        s = report["store"]
        lines.append(f"\nstore file {s['file_mb']} MB, {s['plans']} plans")
        lines.append(f"  one CLI answer from a fresh process {s['cli_answer_s']} s (runs {s['cli_answer_s_runs']}, "
                     f"peak RSS {s['cli_answer_peak_rss_mb']} MB)  | reference plangraph --help {s['help_s']} s "
                     f"(runs {s['help_s_runs']}): {s['cli_answer_to_help']}x  [target <= 1.5x and < 1 s]")
        if "write_one_plan_s" in s:
            lines.append(f"  one plan stored again {s['write_one_plan_s']} s; another connection sees it in "
                         f"{s['another_connection_sees_it_s']} s ({s['seen']}); check of the whole store "
                         f"{s['check_s']} s ({'ok' if s['check_ok'] else 'DAMAGED'})")
    if "in_process" in report:
        ip = report["in_process"]
        lines.append(f"\nin-process (open {ip['open_s']} s, RSS {ip['rss_mb']} MB)  [target: plangraph within 2x of bare sqlite3]")
        lines.append(f"  {'question':<42}{'plangraph p50':>15}{'p99':>9}{'| bare sqlite3 p50':>19}{'p99':>9}{'ratio':>7}")
        for name, q in ip.items():
            if isinstance(q, dict) and "plangraph" in q:
                lines.append(f"  {name:<42}{q['plangraph']['p50_ms']:>15}{q['plangraph']['p99_ms']:>9}"
                             f"{q['bare_sqlite']['p50_ms']:>19}{q['bare_sqlite']['p99_ms']:>9}{q['ratio_p50']:>7}")
        lines.append(f"  national totals (plangraph, bare): {ip['every jurisdiction totals: plangraph, bare']}")
    a = report.get("api")
    if a:
        lines.append(f"\nAPI (plangraph serve --workers {a['serve_workers']}; a correct answer "
                     f"{a.get('start_to_correct_answer_s')} s after start [target < 2 s], healthy {a['start_to_healthy_s']} s, "
                     f"warm after {a.get('start_to_warm_s')} s, prewarm {a.get('prewarm')}; first name look-up "
                     f"{a['first_name_lookup_ms']} ms; RSS per process {a.get('rss_per_process_mb')} MB after the run "
                     f"[target < 400 MB each]; load from {a['client']}) [target p99 < 50 ms]")
        lines.append(f"  {'question':<42}{'places':>7}{'c':>4}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>7}"
                     f"{'sent':>7}{'| 1st p50':>11}{'p99':>8}{'| c=1 p50':>10}{'p99':>8}")
        for name, q in a["questions"].items():
            one, cold = a["at_concurrency_1"][name], a["cold"][name]
            lines.append(f"  {name:<42}{a['places_per_question'][name]:>7}{q['concurrency']:>4}{q['rps']:>8}"
                         f"{q['p50_ms']!s:>9}{q['p99_ms']!s:>9}{q['error_count']:>7}{q['sent']:>7}"
                         f"{cold['p50_ms']!s:>11}{cold['p99_ms']!s:>8}{one['p50_ms']!s:>10}{one['p99_ms']!s:>8}")
        if "soak" in a:
            s = a["soak"]
            per_5s = f"; req/s per 5 s: {s['rps_per_5s']}" if "rps_per_5s" in s else ""
            lines.append(f"  soak {s['seconds']} s at concurrency {s['concurrency']}: {s['rps']} req/s, "
                         f"p50 {s['p50_ms']} ms, p99 {s['p99_ms']} ms, {s['error_count']} errors{per_5s}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=3200, help="synthetic plans in the corpus")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpus", type=Path, help="folder for the corpus (kept; reused when it holds --plans files)")
    ap.add_argument("--workdir", type=Path, help="folder for the corpus, graph files and logs (default: a temp folder)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    ap.add_argument("--workers", default="1,2", help="worker counts to load with, comma-separated")
    ap.add_argument("--parse-sample", type=int, default=400, help="plans timed for parse throughput")
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the parse timing")
    ap.add_argument("--reopen-repeat", type=int, default=3, help="fresh-process CLI answers (and --help runs) timed")
    ap.add_argument("--requests", type=int, default=1000, help="requests per question (a bound)")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30, help="seconds of steady load per question (a bound)")
    ap.add_argument("--places", type=int, default=300, help="jurisdictions each per-place question rotates over")
    ap.add_argument("--serve-workers", type=int, default=os.cpu_count() or 1, help="plangraph serve --workers")
    ap.add_argument("--client", choices=["auto", "wrk", "httpx"], default="auto",
                    help="load generator: wrk when installed (auto), or the asyncio httpx client")
    ap.add_argument("--no-prewarm", action="store_true",
                    help="serve with PLANGRAPH_PREWARM=0: rows made on first use, so the first pass is cold")
    ap.add_argument("--settle", type=float, default=2.0, help="seconds to wait after the server is warm")
    ap.add_argument("--soak", type=int, default=0, help="seconds of the mixed load test (issue 8); 0: none")
    ap.add_argument("--no-api", action="store_true")
    ap.add_argument("--api-only", type=Path, metavar="DB",
                    help="only the API part, serving this existing embedded store file (no parse, load, reopen)")
    ap.add_argument("--json-out", type=Path, help="also write the JSON here")
    ap.add_argument("--loadgen", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.loadgen:
        print(json.dumps(asyncio.run(_generate(json.loads(sys.stdin.read())))))
        return

    work = args.workdir or Path(tempfile.mkdtemp(prefix="plangraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"machine": machine(), "settings": {
        k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k != "loadgen"}}
    report["command"] = " ".join([Path(sys.executable).name, *sys.argv])
    try:
        if args.api_only:
            report["api"] = api(args.api_only, args.store, work, args)
            return finish(report, args)
        files = corpus(args.corpus or work / "corpus", args.plans, args.seed)
        log(f"parse throughput on {min(args.parse_sample, len(files))} plans, {args.rounds} rounds")
        report["parse"] = parse_throughput(_spread(files, args.parse_sample), args.rounds)
        seeds = sorted(SEEDS.glob("*.txt"))
        if seeds:
            report["seeds"] = parse_throughput(seeds, max(args.rounds, 5))
        report["load"] = []
        db: Path | None = None
        for w in [int(x) for x in args.workers.split(",") if x.strip()]:
            db = work / f"graph-w{w}.bin" if args.store == "embedded" else None
            log(f"plangraph load of {len(files)} plans, --workers {w}")
            report["load"].append(load(files[0].parent, db, w, args.store))
            log(f"  {report['load'][-1]['wall_s']} s")
        if db is not None:
            report["store"] = {"file_mb": round(db.stat().st_size / 1e6, 1),
                               "plans": _plans_in(db)}
            log("one CLI answer from a fresh process, beside plangraph --help")
            report["store"].update(fresh_process(db, county_places(db, 1)[0], args.reopen_repeat))
            log("in-process latency beside a bare sqlite3 query")
            report["in_process"] = in_process(db, county_places(db, min(args.places, 200)))
            log("one plan stored again, seen by another connection; check")
            report["store"].update(write_one(db, files[len(files) // 2]))
        if not args.no_api:
            log("API")
            report["api"] = api(db, args.store, work, args)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    finish(report, args)


def _plans_in(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM plans WHERE current").fetchone()[0])


def finish(report: dict[str, Any], args: argparse.Namespace) -> None:
    report["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(table(report))
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.json_out:
        args.json_out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
