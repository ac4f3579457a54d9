"""Limits: upload size and parse time, bounded parameters, long names and odd Unicode.

- Uploads: a file over ``PLANGRAPH_MAX_UPLOAD_BYTES`` is 413 naming the file; a body declared or
  streamed far past it is refused while it arrives (``UploadGuard``), and an upload that may not be
  loaded (no token configured, wrong token) is refused before a byte of its body is read. These
  are driven through the raw ASGI interface, counting the bytes the app asks for.
- Parse time: a parse worker that hangs and ignores SIGTERM is stopped at ``parse_timeout`` (422,
  its process gone); ``PLANGRAPH_PARSE_TIMEOUT`` from the environment stops a real parse of a 5 MB
  plan; and while an upload parses, the server answers other requests.
- Parameters: every integer parameter in the document has a maximum and every string one a
  ``maxLength`` (list items too); ``limit`` stops at 1000.
- Names: every path and query parameter of every GET operation, given a 10 KB value, is 422; given
  odd Unicode (a lone surrogate's bytes, NUL, RTL marks, emoji, combining marks, fullwidth forms,
  invalid UTF-8) it is 404 or 422 where it names a thing, and never a 5xx anywhere.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil
import pytest
from fastapi.testclient import TestClient

from plangraph.api import uploads
from plangraph.api.app import create_app
from plangraph.api.parser_pool import ParserPool
from plangraph.api.settings import ApiSettings
from plangraph.graph.embedded import EmbeddedStore
from tests.security.support import SEED_PATHS, TOKEN, fengdu_versions, seeded_store

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("limits") / "graph.bin"
    seeded_store(db)
    return db


@pytest.fixture(scope="module")
def client(seeded_db: Path) -> Iterator[TestClient]:
    app = create_app(EmbeddedStore(seeded_db), ApiSettings())
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def upload_app(tmp_path: Path, parsers: ParserPool | None = None, **settings: Any):  # noqa: ANN201 - a FastAPI app
    return create_app(seeded_store(tmp_path / "graph.bin"), ApiSettings(api_token=TOKEN, **settings), parsers)


#: A parse worker that says it is ready, then, given a file, ignores SIGTERM and sleeps.
HANGING_WORKER = """
import signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
sys.stdout.buffer.write(b"R" + bytes(8)); sys.stdout.buffer.flush()
sys.stdin.buffer.read(1)
time.sleep(600)
"""
#: The real parse worker, three seconds slower per file.
SLOW_WORKER = """
import time
from plangraph.api import parse_worker
parse = parse_worker.parse_one
parse_worker.parse_one = lambda data, name: (time.sleep(3), parse(data, name))[1]
parse_worker.main()
"""


# --- upload size ----------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_413_naming_it(tmp_path: Path) -> None:
    with TestClient(upload_app(tmp_path, max_upload_bytes=50_000)) as c:
        r = c.post("/plans", files={"file": ("fits.txt", SEED_PATHS[0].read_bytes())}, headers=AUTH)  # ~30 KB
        assert r.status_code == 201, r.text
        before = c.get("/jurisdictions").json()
        r = c.post("/plans", files={"file": ("big.txt", b"x" * 50_001)}, headers=AUTH)
        assert r.status_code == 413 and "big.txt" in r.json()["detail"] and "50000" in r.json()["detail"]
        assert c.get("/jurisdictions").json() == before


def _multipart_stream(total: int | None, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """A multipart body of one file part: ``total`` bytes of content, or endless when None."""
    yield b'--B\r\nContent-Disposition: form-data; name="file"; filename="huge.txt"\r\n\r\n'
    sizes = itertools.repeat(chunk) if total is None else [chunk] * (total // chunk) + [total % chunk]
    for n in sizes:
        yield b"x" * n
    yield b"\r\n--B--\r\n"


def asgi_post(app: Any, headers: dict[str, str], body: Iterator[bytes]) -> tuple[int, dict, int]:
    """POST /plans through the raw ASGI interface; (status, JSON body, bytes the app read)."""
    read = 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal read
        chunk = next(body, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/plans", "raw_path": b"/plans", "query_string": b"", "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in
                    {"content-type": "multipart/form-data; boundary=B", **headers}.items()],
        "client": ("127.0.0.1", 40000), "server": ("testserver", 80), "state": {},
    }
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    import json

    body_bytes = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body_bytes), read


def test_an_upload_declared_too_large_is_refused_before_its_body_is_read(tmp_path: Path) -> None:
    app = upload_app(tmp_path, max_upload_bytes=100_000)
    status, body, read = asgi_post(app, {**AUTH, "content-length": str(10 * 1024**3)}, _multipart_stream(None))
    assert (status, read) == (413, 0), body
    assert "100000" in body["detail"]


def test_an_upload_streamed_past_the_limit_is_cut_off_while_it_arrives(tmp_path: Path) -> None:
    app = upload_app(tmp_path, max_upload_bytes=100_000)
    status, body, read = asgi_post(app, AUTH, _multipart_stream(None))  # chunked: no length, no end
    assert status == 413, body
    assert read <= 100_000 + uploads.MULTIPART_SLACK + 64 * 1024 + 200, f"read {read} bytes of an endless body"


@pytest.mark.parametrize("token,headers,status", [
    (None, AUTH, 403),                                   # loading over HTTP is off
    (TOKEN, {}, 401),                                    # no token sent
    (TOKEN, {"Authorization": "Bearer wrong"}, 401),     # a wrong one
    (TOKEN, {"Authorization": f"Basic {TOKEN}"}, 401),   # not a bearer token
])
def test_an_upload_that_may_not_load_is_refused_before_its_body_is_read(
    tmp_path: Path, token: str | None, headers: dict, status: int
) -> None:
    app = create_app(seeded_store(tmp_path / "graph.bin"), ApiSettings(api_token=token))
    got, body, read = asgi_post(app, {**headers, "content-length": str(2 * 1024**3)}, _multipart_stream(2 * 1024**3))
    assert (got, read) == (status, 0), body


# --- parse time -----------------------------------------------------------------------------------


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.add(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


def test_a_parser_that_hangs_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    pool = ParserPool(1, 1.0, 0, command=[sys.executable, "-c", HANGING_WORKER])
    with TestClient(upload_app(tmp_path, pool, parse_timeout=1.0)) as c:
        before = c.get("/jurisdictions").json()
        hung = pool.pids()  # the worker started with the app: the one the upload goes to
        assert len(hung) == 1
        start = time.monotonic()
        r = c.post("/plans", files={"file": ("slow.txt", SEED_PATHS[0].read_bytes())}, headers=AUTH)
        took = time.monotonic() - start
        workers = pool.pids()
        assert r.status_code == 422 and "longer than 1 s" in r.json()["detail"] and "slow.txt" in r.json()["detail"]
        assert "PLANGRAPH_PARSE_TIMEOUT" in r.json()["detail"]
        assert took < 3, f"the refusal took {took:.1f} s"
        assert not hung & workers
        deadline = time.monotonic() + 5
        while _alive(hung) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(hung), "the hanging worker outlived the time limit"
        assert c.get("/jurisdictions").json() == before
    assert not _alive(workers), "a parse worker outlived the app"


def test_parse_timeout_from_the_environment_stops_a_big_real_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 5 MB plan (a seed with its closing paragraph repeated) parses in about half a second; a
    limit of 0.02 s from PLANGRAPH_PARSE_TIMEOUT refuses it, the default limit takes it."""
    old, _ = fengdu_versions()
    big = old.data + ("\n" + "各单位要加强组织领导，确保各项任务落到实处。" * 20).encode() * 4000
    assert len(big) > 5_000_000
    monkeypatch.setenv("PLANGRAPH_API_TOKEN", TOKEN)
    monkeypatch.setenv("PLANGRAPH_PARSE_TIMEOUT", "0.02")
    settings = ApiSettings()
    assert settings.parse_timeout == 0.02
    store = seeded_store(tmp_path / "graph.bin")
    with TestClient(create_app(store, settings)) as c:
        before = c.get("/jurisdictions").json()
        r = c.post("/plans", files={"file": ("big.txt", big)}, headers=AUTH)
        assert r.status_code == 422 and "longer than 0.02 s" in r.json()["detail"], r.text
        assert c.get("/jurisdictions").json() == before
    monkeypatch.delenv("PLANGRAPH_PARSE_TIMEOUT")
    with TestClient(create_app(store, ApiSettings())) as c:
        r = c.post("/plans", files={"file": ("big.txt", big)}, headers=AUTH)
        assert r.status_code == 201 and r.json()["tasks"] == len(old.plan.tasks()), r.text


def test_the_server_answers_while_an_upload_parses(tmp_path: Path) -> None:
    pool = ParserPool(1, 20, 0, command=[sys.executable, "-c", SLOW_WORKER])
    with TestClient(upload_app(tmp_path, pool, parse_timeout=20)) as c:
        done: dict[str, int] = {}
        upload = threading.Thread(target=lambda: done.setdefault(
            "status", c.post("/plans", files={"file": ("p.txt", SEED_PATHS[1].read_bytes())}, headers=AUTH).status_code))
        upload.start()
        time.sleep(0.5)
        start = time.monotonic()
        assert c.get("/health").status_code == 200
        assert c.get("/tasks", params={"jurisdiction": "丰都县", "limit": 5}).status_code == 200
        waited = time.monotonic() - start
        assert upload.is_alive(), "the upload finished before the reads: the test proves nothing"
        upload.join()
        assert done["status"] == 201
        assert waited < 1.5, f"reads waited {waited:.1f} s for a parse to finish"


# --- parameters are bounded -----------------------------------------------------------------------


def _parameters(spec: dict) -> Iterator[tuple[str, dict]]:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []):
                yield f"{method.upper()} {path} {p['in']}:{p['name']}", p


def _variants(schema: dict) -> list[dict]:
    return schema.get("anyOf") or schema.get("oneOf") or [schema]


def test_every_parameter_is_bounded(client: TestClient) -> None:
    unbounded = []
    for where, p in _parameters(client.get("/openapi.json").json()):
        for s in _variants(p["schema"]):
            kind = s.get("type")
            if kind == "integer" and "maximum" not in s:
                unbounded.append(f"{where}: integer without a maximum")
            if kind == "string" and "enum" not in s and "$ref" not in s and s.get("maxLength", 10**9) > 1000:
                unbounded.append(f"{where}: string without a maxLength (≤ 1000)")
            if kind == "array":
                items = s.get("items", {})
                if "maxItems" not in s:
                    unbounded.append(f"{where}: list without maxItems")
                if items.get("type") == "string" and "enum" not in items and items.get("maxLength", 10**9) > 1000:
                    unbounded.append(f"{where}: list of strings without an item maxLength")
    assert not unbounded, unbounded


@pytest.mark.parametrize("query,status", [
    ("limit=1000", 200), ("limit=1001", 422), ("limit=0", 422), ("limit=-5", 422),
    ("limit=99999999999999999999999999", 422), ("limit=1e3", 422), ("offset=-1", 422),
    ("offset=10000001", 422), ("offset=10000000", 200),
])
def test_limit_and_offset_are_bounded(client: TestClient, query: str, status: int) -> None:
    r = client.get(f"/tasks?{query}")
    assert r.status_code == status, r.text[:300]
    if status == 200:
        assert len(r.json()["items"]) <= 1000


# --- long names and odd Unicode, on every parameter of every GET --------------------------------

#: Percent-encoded, as a client would put them in a URL (a lone surrogate cannot be a str in UTF-8).
ODD = {
    "lone surrogate": "%ED%A0%80", "surrogate pair bytes": "%ED%A0%BD%ED%B8%80", "NUL": "a%00b",
    "RTL mark": "%E2%80%8F%E4%B8%B0%E9%83%BD%E5%8E%BF", "RTL override": "%E2%80%AE%E5%8E%BF%E7%A7%91%E5%8D%8F",
    "emoji": "%F0%9F%98%80%F0%9F%91%A8%E2%80%8D%F0%9F%91%A9", "combining marks": "e%CC%81%CC%82%CC%83%CC%84" * 5,
    "fullwidth": "%EF%BC%A1%EF%BC%A2%EF%BC%91", "invalid UTF-8": "%FF%FE%C0%AF", "BOM": "%EF%BB%BF",
    "noncharacter": "%EF%BF%BF", "controls": "%01%1B%7F", "a percent sign": "%25", "spaces": "%20%20",
    "hostile": quote("x'}) DETACH DELETE n //", safe=""),
}
LONG = {"10 KB of x": "x" * 10_240, "10 KB of 科": quote("科" * 3414)}
#: Parameters that name one thing: an odd value is unknown (404) or invalid (422), never 200.
NAMES = {"agency", "jurisdiction", "a", "b"}
#: ... except where the same word is a filter that may match nothing (a map's agency filter).
FILTERS = {("GET /maps/jurisdictions/{name}", "agency")}


def _get_operations(spec: dict) -> Iterator[tuple[str, str, list[dict]]]:
    for path, ops in spec["paths"].items():
        if "get" in ops:
            yield f"GET {path}", path, ops["get"].get("parameters", [])


def _example(p: dict) -> str | list[str]:
    s = p["schema"]
    example = (s.get("examples") or p.get("examples") or [None])[0]
    if isinstance(example, dict):
        example = example.get("value")
    if example is None:
        variants = _variants(s)
        enum = next((v["enum"] for v in variants if "enum" in v), None)
        example = enum[0] if enum else "丰都县"
    return example


def _url(path: str, params: list[dict], name: str, value: str) -> str:
    """The operation's URL with ``value`` (already percent-encoded) for parameter ``name`` and the
    documented example for every other required one."""
    query: list[str] = []
    for p in params:
        raw = value if p["name"] == name else None
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", raw if raw is not None else quote(str(_example(p)), safe=""))
        elif raw is not None:
            query.append(f"{p['name']}={raw}")
            if p["schema"].get("type") == "array" and p["schema"].get("minItems", 0) >= 2:
                query.append(f"{p['name']}=%E4%B8%87%E5%B9%B4%E5%8E%BF")  # and a real one: 万年县
        elif p.get("required"):
            example = _example(p)
            for v in example if isinstance(example, list) else [example]:
                query.append(f"{p['name']}={quote(str(v), safe='')}")
    return path + ("?" + "&".join(query) if query else "")


def _cases(spec: dict) -> Iterator[tuple[str, str, list[dict], dict, str, str]]:
    for label, path, params in _get_operations(spec):
        for p in params:
            if p["in"] not in ("path", "query"):
                continue
            for kind, value in [*ODD.items(), *LONG.items()]:
                yield label, path, params, p, kind, value


def test_long_names_and_odd_unicode_are_404_or_422_never_500(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    seen: dict[int, int] = {}
    problems = []
    for label, path, params, p, kind, value in _cases(spec):
        r = client.get(_url(path, params, p["name"], value))
        seen[r.status_code] = seen.get(r.status_code, 0) + 1
        where = f"{label} {p['in']}:{p['name']} = {kind}: {r.status_code} {r.text[:200]}"
        names_a_thing = p["in"] == "path" or (p["name"] in NAMES and (label, p["name"]) not in FILTERS)
        if r.status_code >= 500:
            problems.append(where)
        elif kind in LONG and r.status_code != 422:
            problems.append(where + " (a 10 KB value must be refused: 422)")
        elif names_a_thing and r.status_code not in (404, 422):
            problems.append(where + " (a name must be unknown (404) or invalid (422))")
        elif r.status_code not in (200, 404, 422):
            problems.append(where)
        if r.status_code == 404 and r.headers["content-type"].startswith("application/json"):
            body = r.json()
            if not {"detail", "kind", "name", "suggestions"} <= body.keys():
                problems.append(where + " (a 404 without kind, name and suggestions)")
    assert not problems, "\n".join(problems[:30])
    assert sum(seen.values()) > 300 and 404 in seen and 422 in seen, seen
