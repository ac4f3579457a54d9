"""Security: who may load, that reads never write, parameterised Cypher, CORS, and no secrets.

- Loading over HTTP needs ``Authorization: Bearer <PLANGRAPH_API_TOKEN>`` and is off (403) when no
  token is configured (an empty one counts as none); the refusals come before the body is read
  (tests/apifuzz/test_limits.py proves that part through the raw ASGI interface).
- The only route that is not GET is ``POST /plans`` (from ``app.routes``), and hammering every GET
  (documented examples, unknown and odd names, from several threads) changes nothing: the store
  file's bytes and stat, the folder, ``stats()`` and the answers are the same after, and no write
  method of the store was even called.
- A name like ``x'}) DETACH DELETE n //`` is a name all the way through the API: as an agency it is
  found and answered (its tasks, its collaborators), as a jurisdiction, task id or search words it
  is looked up and not found (404 echoing it exactly), and nothing else changes, on the embedded
  store and on real Neo4j when NEO4J_URI is set. For the Neo4j path without a server, the same
  requests go through the API to a recording driver: every statement sent is one of
  ``graph/cypher.py``'s constants and the name travels only in parameters. (The store-level proof
  with writes is tests/graph/test_store.py::test_neo4j_store_sends_only_cypher_py_statements_and_values_as_parameters,
  and on FalkorDB's Bolt server test_hostile_name_is_stored_and_read_back_as_a_name; this reuses
  their recorder, hostile name and hand-made plan.)
- CORS: no ``Access-Control-Allow-Origin`` for any origin by default; exactly the origins of
  ``PLANGRAPH_CORS_ORIGINS`` when set.
- No secrets in the repository (every tracked and new file outside the tracked virtualenv: private
  keys, cloud and API tokens, credentials in URLs, passwords or tokens assigned a literal other
  than the documented placeholders) or in logs (a real ``plangraph serve`` with a token and a
  Neo4j password set, asked good and bad uploads and odd requests, never prints either; nor do
  ``serve`` and ``load`` when the Neo4j server they are given cannot be reached).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from plangraph.api.app import create_app
from plangraph.api.settings import ApiSettings
from plangraph.graph.embedded import EmbeddedStore
from plangraph.graph.store import GraphStore

from .support import HOSTILE, REPO, SEED_PATHS, TOKEN, hand_plan, seed_plans, start_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
FENGDU = "丰都县"


# --- loading over HTTP --------------------------------------------------------------------------


def _fingerprint(db: Path) -> tuple:
    """The store as it is on disk: the SQLite file and what its write-ahead log holds (a reader
    opens the log and its shared-memory index beside the file; only their content is data)."""
    digest = hashlib.sha256(db.read_bytes())
    wal = db.with_name(db.name + "-wal")
    digest.update(wal.read_bytes() if wal.exists() else b"")
    st = db.stat()
    others = sorted(p.name for p in db.parent.iterdir() if p.name not in (f"{db.name}-wal", f"{db.name}-shm"))
    return (digest.hexdigest(), st.st_size, st.st_mtime_ns, st.st_ino, others)


@pytest.mark.parametrize("configured", [None, ""], ids=["unset", "empty"])
def test_loading_over_http_is_off_without_a_token(seeded_db: Path, configured: str | None) -> None:
    before = _fingerprint(seeded_db)
    with TestClient(create_app(EmbeddedStore(seeded_db), ApiSettings(api_token=configured))) as c:
        for headers in ({}, AUTH, {"Authorization": "Bearer "}, {"Authorization": "Bearer None"}):
            r = c.post("/plans", files={"file": ("p.txt", SEED_PATHS[0].read_bytes())}, headers=headers)
            assert r.status_code == 403 and "off" in r.json()["detail"], r.text
    assert _fingerprint(seeded_db) == before


def test_loading_over_http_is_off_by_default_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANGRAPH_API_TOKEN", raising=False)
    assert ApiSettings().token() is None
    monkeypatch.setenv("PLANGRAPH_API_TOKEN", "")
    assert ApiSettings().token() is None
    value = secrets.token_hex(16)
    monkeypatch.setenv("PLANGRAPH_API_TOKEN", value)
    assert ApiSettings().token() == value
    assert value not in repr(ApiSettings())


def test_loading_over_http_needs_the_token(seeded_db: Path) -> None:
    before = _fingerprint(seeded_db)
    plan = ("p.txt", SEED_PATHS[0].read_bytes())
    with TestClient(create_app(EmbeddedStore(seeded_db), ApiSettings(api_token=TOKEN))) as c:
        refused = [
            c.post("/plans", files={"file": plan}),
            c.post("/plans", files={"file": plan}, headers={"Authorization": "Bearer wrong"}),
            c.post("/plans", files={"file": plan}, headers={"Authorization": f"Bearer {TOKEN}x"}),
            c.post("/plans", files={"file": plan}, headers={"Authorization": f"Bearer {TOKEN[:-1]}"}),
            c.post(f"/plans?token={TOKEN}", files={"file": plan}),
            c.post("/plans", files={"file": plan}, headers={"X-Api-Token": TOKEN}),
        ]
        assert [r.status_code for r in refused] == [401] * len(refused)
        assert all(r.headers.get("www-authenticate") == "Bearer" for r in refused)
        assert _fingerprint(seeded_db) == before
        assert c.post("/plans", files={"file": plan}, headers=AUTH).status_code == 201
    assert _fingerprint(seeded_db)[0] != before[0]  # the right token did load


# --- reads never write --------------------------------------------------------------------------


def _routes(routes: list, prefix: str = "") -> Iterator[tuple[str, set[str], object]]:
    """(path, methods, route) of every route, inside included routers too (FastAPI nests them)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            yield from _routes(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, Mount) and isinstance(route.app, StaticFiles):  # /docs' files: GET and HEAD only
            yield prefix + route.path, {"GET", "HEAD"}, route
        else:
            yield prefix + getattr(route, "path", "?"), set(getattr(route, "methods", None) or {"?"}), route


def test_every_route_but_post_plans_is_read_only() -> None:
    app = create_app(EmbeddedStore(None))
    routes = list(_routes(app.routes))
    api_routes = [(path, methods) for path, methods, r in routes if isinstance(r, APIRoute)]
    assert len(api_routes) >= 15 and ("/tasks", {"GET"}) in api_routes
    writes = {(path, m) for path, methods, _ in routes for m in methods if m not in ("GET", "HEAD")}
    assert writes == {("/plans", "POST")}, writes
    documented = {(path, m.upper()) for path, ops in app.openapi()["paths"].items() for m in ops}
    assert {(p, m) for p, m in documented if m != "GET"} == {("/plans", "POST")}


def _get_requests(spec: dict) -> list[str]:
    """Each GET of the document with its examples, with unknown names, and with odd ones."""
    urls = []
    odd = ["不存在县", quote(HOSTILE, safe=""), "%ED%A0%80", "%00", "x" * 300, "%E2%80%AE"]
    for path, ops in spec["paths"].items():
        if "get" not in ops:
            continue
        params = ops["get"].get("parameters", [])
        for value in [None, *odd]:
            url, query = path, []
            for p in params:
                s = p["schema"]
                example = (s.get("examples") or [None])[0]
                if example is None:
                    variant = next((v for v in s.get("anyOf", [s]) if "enum" in v), None)
                    example = variant["enum"][0] if variant else None
                if p["in"] == "path":
                    url = url.replace("{" + p["name"] + "}", value or quote(str(example), safe=""))
                elif example is not None and (p.get("required") or value is None):
                    for v in example if isinstance(example, list) else [example]:
                        query.append(f"{p['name']}={quote(str(v), safe='')}")
                elif value is not None and p["schema"].get("type") != "integer":
                    query.append(f"{p['name']}={value}")
            urls.append(url + ("?" + "&".join(query) if query else ""))
    return urls


def test_reads_never_write(seeded_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = EmbeddedStore(seeded_db)
    writes: list[str] = []
    for name in ("replace_plan", "replace_plans", "delete_plan", "_transaction", "save_derived", "replace_kept"):
        monkeypatch.setattr(store, name, lambda *a, _n=name, **k: writes.append(_n))
    before_file, before_stats = _fingerprint(seeded_db), store.stats()
    before_answers = [store.jurisdictions(), store.tasks(), store.assignments(), store.agencies()]
    with TestClient(create_app(store, ApiSettings(api_token=TOKEN)), raise_server_exceptions=False) as c:
        urls = _get_requests(c.get("/openapi.json").json())
        assert len(urls) > 60
        statuses: dict[int, int] = {}
        lock = threading.Lock()

        def hammer(share: list[str]) -> None:
            for _ in range(2):
                for url in share:
                    code = c.get(url).status_code
                    with lock:
                        statuses[code] = statuses.get(code, 0) + 1

        threads = [threading.Thread(target=hammer, args=(urls[i::4],)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert writes == [], f"a read called {writes}"
    assert not any(code >= 500 for code in statuses), statuses
    assert statuses.get(200, 0) > 20 and statuses.get(404, 0) > 10, statuses
    assert _fingerprint(seeded_db) == before_file
    assert store.stats() == before_stats == EmbeddedStore(seeded_db).stats()
    assert [store.jurisdictions(), store.tasks(), store.assignments(), store.agencies()] == before_answers


# --- hostile names are names --------------------------------------------------------------------

PATH_HOSTILE = HOSTILE.replace("/", "")  # a path segment cannot hold "/" (it would be another route)


def _hostile_requests(c: TestClient) -> dict[str, Any]:
    """The hostile value as every kind of name the API takes; what each request answered."""
    out: dict[str, Any] = {}
    out["tasks of the agency"] = c.get("/tasks", params={"agency": HOSTILE, "limit": 1000})
    out["tasks of the agency, lead"] = c.get("/tasks", params={"agency": HOSTILE, "role": "lead"})
    out["agencies by words"] = c.get("/agencies", params={"q": HOSTILE})
    out["collaborators"] = c.get("/collaborators", params={"agency": HOSTILE})
    out["search words"] = c.get("/tasks", params={"q": HOSTILE})
    out["jurisdiction filter"] = c.get("/tasks", params={"jurisdiction": HOSTILE})
    out["agencies of jurisdiction"] = c.get("/agencies", params={"jurisdiction": HOSTILE})
    out["kind"] = c.get("/agencies", params={"kind": HOSTILE})
    out["compare"] = c.get("/compare", params={"a": HOSTILE, "b": FENGDU})
    out["export"] = c.get("/export/csv", params={"jurisdiction": HOSTILE})
    out["task id"] = c.get(f"/tasks/{quote(PATH_HOSTILE, safe='')}")
    out["agency id"] = c.get(f"/agencies/{quote(PATH_HOSTILE, safe='')}")
    out["jurisdiction profile"] = c.get(f"/jurisdictions/{quote(PATH_HOSTILE, safe='')}")
    out["map"] = c.get(f"/maps/jurisdictions/{quote(PATH_HOSTILE, safe='')}")
    return out


def test_a_hostile_name_is_a_name_through_the_api(empty_store: GraphStore) -> None:
    store = empty_store
    store.replace_plans(seed_plans())
    store.replace_plan(hand_plan("测试县", HOSTILE, "县科协"))
    before = store.stats()
    before_tasks = {j.name: store.tasks(jurisdiction=j.name) for j in store.jurisdictions()}
    with TestClient(create_app(store, ApiSettings())) as c:
        got = _hostile_requests(c)
        tasks = got["tasks of the agency"].json()
        assert got["tasks of the agency"].status_code == 200 and tasks["total"] == 2  # it leads both tasks
        assert {i["agency"]["name"] for i in tasks["items"]} == {HOSTILE}
        assert {i["role"] for i in tasks["items"]} == {"lead"} and tasks["agencies"][0]["name"] == HOSTILE
        assert got["tasks of the agency, lead"].json()["total"] == tasks["total"]
        assert [a["name"] for a in got["agencies by words"].json()] == [HOSTILE]
        collab = got["collaborators"].json()
        assert collab[0]["agency"]["name"] == HOSTILE
        assert [x["agency"]["name"] for x in collab[0]["collaborators"]] == ["县科协"]
        assert got["search words"].json()["total"] == tasks["total"]  # the clause holds the name
        assert got["kind"].status_code == 200 and got["kind"].json() == []
        for key, value in (("jurisdiction filter", HOSTILE), ("agencies of jurisdiction", HOSTILE),
                           ("compare", HOSTILE), ("export", HOSTILE), ("task id", PATH_HOSTILE),
                           ("agency id", PATH_HOSTILE), ("jurisdiction profile", PATH_HOSTILE),
                           ("map", PATH_HOSTILE)):
            r = got[key]
            assert r.status_code == 404 and r.json()["name"] == value, (key, r.text)
    assert store.stats() == before
    assert {j.name: store.tasks(jurisdiction=j.name) for j in store.jurisdictions()} == before_tasks


def test_a_hostile_name_reaches_neo4j_only_as_a_parameter_through_the_api() -> None:
    from plangraph.graph import cypher
    from plangraph.graph.neo4j import Neo4jStore
    from tests.graph.test_store import _Recorder

    driver = _Recorder()
    store = Neo4jStore(driver, "neo4j")  # type: ignore[arg-type]
    with TestClient(create_app(store, ApiSettings())) as c:
        got = _hostile_requests(c)
        c.get("/tasks", params={"agency": HOSTILE, "jurisdiction": HOSTILE, "q": HOSTILE})
        c.get("/maps/kinds/" + quote(PATH_HOSTILE, safe=""))
    assert all(r.status_code in (200, 404) for r in got.values()), {k: r.status_code for k, r in got.items()}
    known = set(cypher.all_statements().values())
    sent = driver.sent
    assert sent and all(query in known for query, _ in sent), [q for q, _ in sent if q not in known]
    assert not any(HOSTILE in query or PATH_HOSTILE in query for query, _ in sent)
    carried = sum(HOSTILE in repr(p) or PATH_HOSTILE in repr(p) for _, p in sent)
    assert carried >= 10, f"the hostile value reached the driver in only {carried} parameter sets"


# --- CORS ---------------------------------------------------------------------------------------


def _cors(c: TestClient, origin: str) -> tuple[str | None, str | None]:
    simple = c.get("/health", headers={"Origin": origin}).headers.get("access-control-allow-origin")
    preflight = c.options("/plans", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization",
    }).headers.get("access-control-allow-origin")
    return simple, preflight


def test_cors_is_closed_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLANGRAPH_CORS_ORIGINS", raising=False)
    with TestClient(create_app(EmbeddedStore(None), ApiSettings())) as c:
        for origin in ("https://evil.example", "http://localhost:3000", "null"):
            assert _cors(c, origin) == (None, None), origin


def test_cors_allows_exactly_the_configured_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANGRAPH_CORS_ORIGINS", "https://plans.example.org, https://maps.example.org")
    with TestClient(create_app(EmbeddedStore(None), ApiSettings())) as c:
        for origin in ("https://plans.example.org", "https://maps.example.org"):
            assert _cors(c, origin) == (origin, origin)
        r = c.options("/plans", headers={"Origin": "https://plans.example.org",
                                         "Access-Control-Request-Method": "POST",
                                         "Access-Control-Request-Headers": "authorization"})
        assert "authorization" in r.headers["access-control-allow-headers"].lower()
        for origin in ("https://evil.example", "https://plans.example.org.evil.example", "http://plans.example.org"):
            assert _cors(c, origin) == (None, None), origin
        refused = c.post("/plans", headers={"Origin": "https://plans.example.org"})  # uploads off: 403, with CORS
        assert refused.status_code == 403
        assert refused.headers.get("access-control-allow-origin") == "https://plans.example.org"


# --- no secrets in the repository ---------------------------------------------------------------

#: Values the documentation and tests use on purpose, in the open: not secrets.
PLACEHOLDERS = {
    "test-token-not-a-secret",  # tests/api/conftest.py, tests/security/support.py
    "plangraph-dev-password",  # docker-compose.yml's default; the file says to change it
    "s3cret",  # tests/graph/test_store.py: proves a password stays out of repr()
}
#: Tracked but not the project's: a virtualenv committed with the skeleton (see the report);
#: third-party code, scanned separately below for key material only.
THIRD_PARTY = (".venv/",)
# The patterns are built from pieces so that this file does not match them itself.
_KEY = "PRIVATE" + " KEY"
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?" + _KEY + r"(?: BLOCK)?-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "API key (sk-)": re.compile(r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{24,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    "credentials in a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:([^/\s:@'\"$<{]+)@[\w.-]+"),
}
_NAME = r"[A-Za-z0-9_]*(?:password|passwd|secret|api_?key|token|credential)[A-Za-z0-9_]*"
ASSIGNED = [
    re.compile(r"(?i)\b" + _NAME + r"[\"']?\s*[:=]\s*([\"'])(?P<value>[^\"'\n]{4,})\1"),  # x = "literal"
    re.compile(r"(?i)[\"']" + _NAME + r"[\"']\s*,\s*([\"'])(?P<value>[^\"'\n]{4,})\1"),  # setenv("X", "literal")
    re.compile(r"(?i)^\s*(?:export\s+)?" + _NAME + r"\s*[:=]\s*(?P<value>[^\s\"'#]{4,})", re.M),  # X=literal
]


def _project_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    return [REPO / f for f in dict.fromkeys(listed) if f and not f.startswith(THIRD_PARTY) and (REPO / f).is_file()]


def _literal(value: str) -> str | None:
    """The secret-looking part of an assigned value, or None for a reference or a placeholder."""
    default = re.fullmatch(r"\$\{\w+:?-(.*)\}", value)
    if default:
        value = default.group(1)
    if not value or value[0] in "$<{…(" or value in PLACEHOLDERS or value.lower() in {"none", "null", "true", "false"}:
        return None
    if re.fullmatch(r"[A-Za-z_][\w.]*(\(.*)?", value) and "-" not in value and not any(ch.isdigit() for ch in value):
        return None  # a name in code (settings.token, SecretStr, get_secret_value()), not a value
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", value):
        return None  # the name of a setting (NEO4J_DATABASE), not its value
    return value


def test_no_secrets_in_the_repository() -> None:
    files = _project_files()
    assert len(files) > 100 and REPO / "README.md" in files
    found = []
    for path in files:
        if path.name in (".env", "id_rsa", "id_ed25519") or path.suffix in (".pem", ".key", ".p12", ".pfx"):
            found.append(f"{path.relative_to(REPO)}: a credentials file")
        data = path.read_bytes()
        if b"\0" in data[:4096]:
            continue  # binary (images)
        text = data.decode("utf-8", errors="replace")
        for kind, pattern in SECRET_PATTERNS.items():
            for m in pattern.finditer(text):
                if kind != "credentials in a URL" or _literal(m.group(1)):
                    found.append(f"{path.relative_to(REPO)}: {kind}: {m.group(0)[:60]}")
        for pattern in ASSIGNED:
            for m in pattern.finditer(text):
                if _literal(m.group("value")):
                    found.append(f"{path.relative_to(REPO)}: a literal secret: {m.group(0)[:80]}")
    assert not found, "\n".join(found)


def test_the_scanner_finds_what_it_looks_for() -> None:
    pw = "hunter2" + "-real"  # pieces: this file must not hold what it looks for
    leaked = "\n".join([
        "-----BEGIN RSA " + _KEY + "-----", "aws = 'AKIA" + "ABCDEFGHIJKLMNOP'", 'NEO4J_PASSWORD = "' + pw + '"',
        "export PLANGRAPH_API_TOKEN=" + "abcd1234efgh", "bolt://neo4j:" + "realpass@db.example:7687",
        'monkeypatch.setenv("NEO4J_PASSWORD", "' + pw + '")', "gh" + "p_" + "a" * 36,
    ])
    kinds = {k for k, p in SECRET_PATTERNS.items() if p.search(leaked)}
    assert {"private key", "AWS access key", "credentials in a URL", "GitHub token"} <= kinds
    assert sum(bool(_literal(m.group("value"))) for p in ASSIGNED for m in p.finditer(leaked)) >= 3
    innocent = 'password: SecretStr | None = None\nNEO4J_PASSWORD: ${NEO4J_PASSWORD:-plangraph-dev-password}\n'
    assert not [m for p in ASSIGNED for m in p.finditer(innocent) if _literal(m.group("value"))]


def test_no_key_material_in_the_tracked_virtualenv() -> None:
    """The tracked .venv/ is third-party code: it may name key formats, but holds no key."""
    listed = subprocess.run(["git", "ls-files", "-z", "--", ".venv"], cwd=REPO, capture_output=True,
                            check=True).stdout.decode().split("\0")
    pattern = re.compile(rb"-----BEGIN (?:RSA |EC |DSA |OPENSSH )?" + _KEY.encode() + rb"-----\r?\n[A-Za-z0-9+/=]{40,}")
    found = [f for f in listed if f and (REPO / f).is_file() and pattern.search((REPO / f).read_bytes())]
    assert not found, found


# --- no secrets in logs -------------------------------------------------------------------------


def test_no_secrets_in_the_server_log(seeded_db: Path, tmp_path: Path) -> None:
    token, password = f"tok-{secrets.token_urlsafe(24)}", f"pw-{secrets.token_urlsafe(24)}"
    server = start_server(seeded_db, tmp_path / "serve.log", env={
        "PLANGRAPH_API_TOKEN": token, "NEO4J_PASSWORD": password, "NEO4J_URI": "bolt://127.0.0.1:1",
    })
    try:
        base, plan = server.base, SEED_PATHS[4].read_bytes()
        with httpx.Client(base_url=base, timeout=30) as c:
            assert c.get("/health").status_code == 200
            assert c.post("/plans", files={"file": ("p.txt", plan)}, headers={"Authorization": "Bearer wrong"}).status_code == 401
            assert c.post("/plans", files={"file": ("p.txt", plan)},
                          headers={"Authorization": f"Bearer {token[:-2]}"}).status_code == 401
            assert c.post("/plans", files={"file": ("p.txt", plan)}).status_code == 401
            assert c.post(f"/plans?token={token}", files={"file": ("p.txt", plan)}).status_code == 401
            assert c.post("/plans", files={"file": ("bad.txt", b"not a plan")},
                          headers={"Authorization": f"Bearer {token}"}).status_code == 422
            assert c.post("/plans", files={"file": ("p.txt", plan)},
                          headers={"Authorization": f"Bearer {token}"}).status_code == 201
            for url in ("/tasks/%ED%A0%80", "/jurisdictions/%00", "/tasks?agency=%F0%9F%98%80", "/agencies/" + "x" * 300,
                        "/tasks?q=%E2%80%AE", "/no/such/route", f"/tasks?agency={token}", "/maps/kinds/%FF"):
                assert c.get(url).status_code in (200, 404, 422), url
    finally:
        log = server.stop()
    assert "Uvicorn running" in log or "Application startup complete" in log, log[-2000:]
    assert token not in log and password not in log
    assert "Traceback" not in log, log[-3000:]


@pytest.mark.parametrize("command", [["serve", "--port", "1"], ["load", str(SEED_PATHS[0])]], ids=["serve", "load"])
def test_no_password_in_the_error_of_an_unreachable_neo4j(command: list[str], tmp_path: Path) -> None:
    password = f"pw-{secrets.token_urlsafe(24)}"
    env = {**os.environ, "PLANGRAPH_STORE": "neo4j", "NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": password}
    done = subprocess.run([sys.executable, "-m", "plangraph", *command], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert password not in done.stdout + done.stderr
    assert "127.0.0.1" in done.stdout + done.stderr or "connect" in (done.stdout + done.stderr).lower()
