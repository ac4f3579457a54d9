"""Uploads to a real ``plangraph serve`` process: every one answered, limits answered 422 naming
the limit in time, bombs refused with bounded memory, the bearer scheme read as RFC 9110 says.

Expected values come from how the inputs were made: the seeds' jurisdictions and task counts from
tests/seed_truth.py (written by reading them), the synthetic plans' from ``plangraph synth``'s
manifest, the bombs' sizes from tests/server/bombs.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SEED_PATHS
from tests.seed_truth import EXPECTED
from tests.security.support import TOKEN, Server, start_server

from .bombs import docx_bomb, pdf_bomb
from .conftest import AUTH, PeakRss, ServerFactory, alive, tree

MB = 1 << 20
SYNTHETIC = 80


def _seed_truth(path: Path) -> tuple[str, int]:
    truth = EXPECTED[path.name[:3]]
    return truth.name, sum(truth.tasks_per_action)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    """``plangraph synth`` plans with the jurisdiction each was written for."""
    out = tmp_path_factory.mktemp("synth")
    subprocess.run([sys.executable, "-m", "plangraph", "synth", str(SYNTHETIC), "-o", str(out), "--seed", "13"],
                   check=True, capture_output=True)
    facts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [(out / f["source"]["file"], f["jurisdiction"]["name"]) for f in facts]


@pytest.fixture(scope="module")
def one_server(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that need no settings of their own."""
    folder = tmp_path_factory.mktemp("one-server")
    db = folder / "graph.bin"
    shutil.copy(seeded_template, db)
    server = start_server(db, folder / "serve.log", {"PLANGRAPH_API_TOKEN": TOKEN})
    yield server
    server.stop()


def _big_plan() -> bytes:
    """A seed with its closing paragraph repeated to 9 MB: a real plan that takes seconds to parse
    and a few hundred MB of memory."""
    seed = SEED_PATHS[4].read_bytes()
    return seed + ("\n" + "各单位要加强组织领导，确保各项任务落到实处。" * 20).encode() * 7000


def _upload(base: str, name: str, data: bytes, headers: dict[str, str] = AUTH, timeout: float = 60) -> httpx.Response:
    try:
        return httpx.post(f"{base}/plans", files={"file": (name, data)}, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        pytest.fail(f"no answer to the upload of {name} within {timeout} s")


def test_a_hundred_uploads_in_a_row_are_all_answered(serve: ServerFactory, synthetic: list[tuple[Path, str]]) -> None:
    server = serve()
    uploads = [(f"copy{i}_{p.name}", p.read_bytes(), *_seed_truth(p)) for i in range(4) for p in SEED_PATHS]
    uploads += [(p.name, p.read_bytes(), name, None) for p, name in synthetic]
    assert len(uploads) == 100
    took: list[float] = []
    for name, data, jurisdiction, tasks in uploads:
        start = time.monotonic()
        r = _upload(server.base, name, data)
        took.append(time.monotonic() - start)
        assert r.status_code == 201, f"{name}: {r.status_code} {r.text[:300]}"
        assert r.json()["jurisdiction"] == jurisdiction, name
        if tasks is not None:
            assert r.json()["tasks"] == tasks, name
    took.sort()
    print(f"100 uploads answered in {sum(took):.1f} s: median {took[50] * 1000:.0f} ms, slowest {took[-1] * 1000:.0f} ms")
    listed = {j["name"] for j in httpx.get(f"{server.base}/jurisdictions", timeout=30).json()}
    assert {name for _, name in synthetic} <= listed


def test_an_upload_over_the_time_limit_is_422_within_the_limit(serve: ServerFactory) -> None:
    """Three over-limit parses in a row, each answered in time with the limit named and its worker
    killed; then an ordinary upload to the same server is loaded."""
    limit = 0.2  # the plan takes about 0.5 s to parse on an idle core here
    server = serve({"PLANGRAPH_PARSE_TIMEOUT": str(limit)})
    big = _big_plan()
    for attempt in range(3):
        workers = tree(server.proc.pid)[1:]
        start = time.monotonic()
        r = _upload(server.base, "big.txt", big)
        took = time.monotonic() - start
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert "big.txt" in detail and "PLANGRAPH_PARSE_TIMEOUT" in detail and f"{limit:g} s" in detail
        assert took < limit + 3, f"attempt {attempt}: answered after {took:.1f} s"
        time.sleep(0.5)  # the killed worker is reaped in the background
        assert len(alive(workers)) < len(workers), "the worker that ran out of time is still alive"
    seed = SEED_PATHS[1]
    r = _upload(server.base, seed.name, seed.read_bytes())
    assert r.status_code == 201 and r.json()["jurisdiction"] == _seed_truth(seed)[0], r.text


def test_an_upload_over_the_memory_cap_is_422_naming_it(serve: ServerFactory) -> None:
    server = serve({"PLANGRAPH_PARSE_MEMORY_MB": "250"})
    r = _upload(server.base, "big.txt", _big_plan())
    assert r.status_code == 422, r.text
    assert "big.txt" in r.json()["detail"] and "PLANGRAPH_PARSE_MEMORY_MB" in r.json()["detail"]
    assert "250 MB" in r.json()["detail"]
    seed = SEED_PATHS[2]
    r = _upload(server.base, seed.name, seed.read_bytes())
    assert r.status_code == 201 and r.json()["jurisdiction"] == _seed_truth(seed)[0], r.text


@pytest.mark.parametrize(("name", "build", "inflated", "limit"), [
    ("bomb.docx", docx_bomb, 500 * MB, "docx.part_bytes"),
    ("bomb.pdf", pdf_bomb, 200 * MB, "pdf.stream_bytes"),
])
def test_a_decompression_bomb_is_refused_quickly_in_little_memory(
    serve: ServerFactory, name: str, build, inflated: int, limit: str,  # noqa: ANN001
) -> None:
    data = build(inflated)
    assert len(data) < 2 * MB, f"the bomb is {len(data)} bytes"
    server = serve()
    seed = SEED_PATHS[1]
    assert _upload(server.base, seed.name, seed.read_bytes()).status_code == 201  # a parse worker is ready
    before = {j["name"] for j in httpx.get(f"{server.base}/jurisdictions", timeout=30).json()}
    with PeakRss(server.proc.pid) as rss:
        baseline = rss.peak
        start = time.monotonic()
        r = _upload(server.base, name, data)
        took = time.monotonic() - start
    assert r.status_code == 422, r.text
    assert name in r.json()["detail"] and limit in r.json()["detail"], r.text
    assert took < 5, f"refused after {took:.1f} s"
    grown = rss.peak - baseline
    print(f"{name}: {len(data) / MB:.2f} MB inflating to {inflated / MB:.0f} MB refused in {took:.2f} s; "
          f"server tree RSS {baseline / MB:.0f} MB before, peak {rss.peak / MB:.0f} MB (+{grown / MB:.0f} MB)")
    assert grown < 150 * MB, f"the server's processes grew by {grown / MB:.0f} MB"
    assert {j["name"] for j in httpx.get(f"{server.base}/jurisdictions", timeout=30).json()} == before


@pytest.mark.parametrize(("header", "status"), [
    (f"Bearer {TOKEN}", 201),
    (f"bearer {TOKEN}", 201),
    (f"BEARER {TOKEN}", 201),
    (f"bEaReR   {TOKEN}", 201),
    (TOKEN, 401),                 # a bare token: no scheme
    (f"Basic {TOKEN}", 401),      # another scheme
    ("Bearer", 401),
    (f"Bearer{TOKEN}", 401),
])
def test_the_bearer_scheme_is_case_insensitive_and_required(one_server: Server, header: str, status: int) -> None:
    seed = SEED_PATHS[3]
    r = _upload(one_server.base, seed.name, seed.read_bytes(), headers={"Authorization": header})
    assert r.status_code == status, r.text
    if status == 401:
        assert r.headers["www-authenticate"] == "Bearer"


def test_no_parse_worker_outlives_a_killed_server(serve: ServerFactory) -> None:
    """``kill -9`` of the server: its parse workers die with it (PR_SET_PDEATHSIG) and hold no port."""
    server = serve()
    seed = SEED_PATHS[0]
    assert _upload(server.base, seed.name, seed.read_bytes()).status_code == 201
    children = tree(server.proc.pid)[1:]
    assert children, "the server started no parse worker"
    assert all("parse_worker" in " ".join(c.cmdline()) for c in children)
    server.proc.kill()
    server.proc.wait()
    deadline = time.monotonic() + 5
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(children), f"parse workers outlived the server: {[c.pid for c in alive(children)]}"
