"""The server's background rebuild (``api/rebuild.py``) and what it serves meanwhile."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from plangraph.api.app import create_app
from plangraph.api.rebuild import Rebuilder
from plangraph.api.settings import ApiSettings
from plangraph.graph.embedded import EmbeddedStore
from plangraph.queries import NameCatalog, compare
from tests.conftest import SEED_PATHS


def _wait(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_requests_while_it_runs_make_one_more_run_never_two_at_once() -> None:
    running, most, runs = [0], [0], []
    gate = threading.Event()

    def work() -> None:
        running[0] += 1
        most[0] = max(most[0], running[0])
        gate.wait(10)
        runs.append(1)
        running[0] -= 1

    rebuilder = Rebuilder(work)
    rebuilder.request()
    _wait(lambda: running[0] == 1)
    for _ in range(5):
        rebuilder.request()
    gate.set()
    _wait(lambda: not rebuilder.busy())
    assert len(runs) == 2 and most[0] == 1 and rebuilder.runs == 2


def test_a_failing_run_is_logged_and_the_next_request_runs_again(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []

    def work() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")

    rebuilder = Rebuilder(work)
    rebuilder.request()
    _wait(lambda: rebuilder.runs == 1)
    assert "rebuilding what the server derives from its store failed" in caplog.text
    rebuilder.request()
    _wait(lambda: rebuilder.runs == 2)
    assert len(calls) == 2


def test_after_an_upload_the_server_answers_as_a_fresh_store_once_rebuilt(tmp_path) -> None:
    from plangraph.loaders import parse_file

    plans = [parse_file(p) for p in SEED_PATHS]
    store = EmbeddedStore(tmp_path / "graph.bin")
    store.replace_plans(plans[:4])
    token = "t" * 32
    app = create_app(store, ApiSettings(api_token=token))
    a, b = plans[0].jurisdiction.name, plans[4].jurisdiction.name
    with TestClient(app) as client:
        _wait(lambda: client.get("/health").json()["warm"])
        runs = app.state.rebuilder.runs
        path = SEED_PATHS[4]
        r = client.post("/plans", files={"file": (path.name, path.read_bytes())},
                        headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 201, r.text
        _wait(lambda: app.state.rebuilder.runs > runs and not app.state.rebuilder.busy())
        served = client.get("/compare", params={"a": a, "b": b}).json()
    fresh = EmbeddedStore()
    fresh.replace_plans(plans)
    assert served == compare(NameCatalog(fresh), a, b).model_dump(mode="json")
