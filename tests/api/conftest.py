"""An API over the five seeds: in-process (FastAPI's TestClient) and as a real server process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from plangraph.api.app import create_app
from plangraph.api.settings import ApiSettings
from tests.conftest import seeded_store

TOKEN = "test-token-not-a-secret"


@pytest.fixture()
def upload_client(tmp_path: Path) -> Iterator[TestClient]:
    """An app of its own, with a token, for tests that load plans."""
    store = seeded_store(tmp_path / "graph.bin")
    app = create_app(store, ApiSettings(api_token=TOKEN, max_upload_bytes=200_000, parse_timeout=20))
    with TestClient(app) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(seeded_db: Path) -> Iterator[str]:
    """``plangraph serve`` as a user starts it, on a loopback port; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "PLANGRAPH_DB": str(seeded_db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "plangraph", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
        if proc.poll() is not None:
            pytest.fail(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
    else:
        proc.kill()
        pytest.fail("server did not answer /health within 60 s")
    yield base
    proc.terminate()
    proc.wait(timeout=10)
