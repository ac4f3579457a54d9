"""Uploading the newer formats to a real ``plangraph serve``: an OFD and a Word 97 .doc load (201)
and answer with their seed's tasks; a damaged OFD is the client's mistake (422), never a 500."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest

from tests.conftest import SEED_PATHS
from tests.loaders.builders import make_doc, make_ofd
from tests.security.support import TOKEN, start_server
from tests.seed_truth import EXPECTED

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_ofd_and_doc_uploads_to_a_real_server(tmp_path: Path) -> None:
    seed = SEED_PATHS[3]
    lines = seed.read_text(encoding="utf-8").split("\n")
    uploads = [("plan.ofd", make_ofd(lines))]
    if shutil.which("soffice"):
        uploads.append(("plan.doc", make_doc(SEED_PATHS[4].read_text(encoding="utf-8").split("\n"), tmp_path)))
    server = start_server(tmp_path / "graph.bin", tmp_path / "serve.log",
                          env={"PLANGRAPH_API_TOKEN": TOKEN, "PLANGRAPH_PARSE_TIMEOUT": "180"})
    try:
        for name, data in uploads:
            r = httpx.post(f"{server.base}/plans", files={"file": (name, data)}, headers=AUTH, timeout=240)
            assert r.status_code == 201, (name, r.status_code, r.text)
        for seed_id in ("003", "004")[: len(uploads)]:
            expected = EXPECTED[seed_id]
            r = httpx.get(f"{server.base}/export/json", params={"jurisdiction": expected.name}, timeout=30)
            assert r.status_code == 200, r.text
            [document] = r.json()["jurisdictions"]
            assert len(document["tasks"]) == sum(expected.tasks_per_action), seed_id
        damaged = make_ofd(lines)[:5000]
        r = httpx.post(f"{server.base}/plans", files={"file": ("broken.ofd", damaged)}, headers=AUTH, timeout=60)
        assert r.status_code == 422 and "broken.ofd" in r.text, (r.status_code, r.text)
    finally:
        log = server.stop()
    assert "Traceback" not in log, log[-3000:]


@pytest.fixture(autouse=True)
def _seeds_present() -> None:
    if len(SEED_PATHS) < 5:
        pytest.skip("the seed plans are not there")
