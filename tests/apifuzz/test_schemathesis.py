"""Fuzzing the API: schemathesis against the app's own OpenAPI document, on the five seeds.

Every operation the document lists is fuzzed in-process (``schemathesis.openapi.from_asgi``), in
two modes: positive (values the schema allows: known and unknown names, every enum, bounds) and
negative (values it forbids: wrong types, too long, out of range, missing). Each response must:

- ``not_a_server_error``: never a 5xx (nor an exception out of the app);
- ``response_schema_conformance``: match the schema the document gives for its status code; the
  404s of every lookup are documented with their body's schema (``NotFoundBody``), so they are
  checked too, not waved through;
- ``status_code_conformance`` and ``content_type_conformance``: a documented status code and
  media type; and, for negative cases, ``negative_data_rejection``: invalid input is refused (4xx).

``POST /plans`` is fuzzed twice: on the read-only app (uploads off: always 403) and on an app with
a token, sending the token, so the multipart bodies reach the parser (422 for what is not a plan).

Hypothesis runs derandomised without a database: every run tries the same cases. The number of
examples per operation and mode is ``PLANGRAPH_API_FUZZ_EXAMPLES`` (default 25; the negative mode
gets the same). The cases tried are counted and printed in pytest's terminal summary. A last test
proves the harness is awake: on a deliberately broken app it reports the 500 and the schema lie.
"""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI, Query
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from pydantic import BaseModel
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from plangraph.api.app import create_app
from plangraph.api.settings import ApiSettings
from plangraph.graph.embedded import EmbeddedStore
from tests.security.support import TOKEN, seeded_store

EXAMPLES = int(os.environ.get("PLANGRAPH_API_FUZZ_EXAMPLES", "25"))
CASES: Counter[str] = Counter()
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
NEGATIVE_CHECKS = [*CHECKS, negative_data_rejection]


def _labels() -> list[str]:
    """Every operation in the document (the document does not depend on the data)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(EmbeddedStore(None)))
    return [op.ok().label for op in schema.get_all_operations()]


LABELS = _labels()


class _CaseReport:
    def pytest_terminal_summary(self, terminalreporter) -> None:  # noqa: ANN001 - pytest's hook
        total = sum(CASES.values())
        modes = Counter()
        for key, n in CASES.items():
            modes[key.rsplit(" ", 1)[-1]] += n
        detail = ", ".join(f"{mode} {n}" for mode, n in sorted(modes.items()))
        terminalreporter.write_line(
            f"API fuzz (schemathesis): {total} cases tried over {len({k.rsplit(' ', 1)[0] for k in CASES})} "
            f"operations ({detail}; {EXAMPLES} examples per operation and mode)")


@pytest.fixture(scope="module", autouse=True)
def report_cases(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not any(isinstance(p, _CaseReport) for p in manager.get_plugins()):
        manager.register(_CaseReport())


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("apifuzz") / "graph.bin"
    seeded_store(db)
    return db


@pytest.fixture(scope="module")
def read_schema(seeded_db: Path) -> Iterator[object]:
    """The document of an app over the seeds, uploads off (no token)."""
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(EmbeddedStore(seeded_db), ApiSettings()))


@pytest.fixture(scope="module")
def upload_schema(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """An app of its own, with a token, on a copy of the seeds (uploads may change it)."""
    db = tmp_path_factory.mktemp("apifuzz-upload") / "graph.bin"
    shutil.copy(seeded_db, db)
    settings_ = ApiSettings(api_token=TOKEN, max_upload_bytes=300_000, parse_timeout=10)
    yield schemathesis.openapi.from_asgi("/openapi.json", create_app(EmbeddedStore(db), settings_))


def fuzz(schema: object, label: str, mode: str, headers: dict[str, str] | None = None, count: bool = True) -> list[str]:
    """Run ``EXAMPLES`` cases of one operation in one mode; the failures found, as text."""
    method, path = label.split(" ", 1)
    operation = schema[path][method]  # type: ignore[index]
    generation = schemathesis.GenerationMode.POSITIVE if mode == "positive" else schemathesis.GenerationMode.NEGATIVE
    checks = CHECKS if mode == "positive" else NEGATIVE_CHECKS
    failures: list[str] = []

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy(generation_mode=generation))
    def run(case: schemathesis.Case) -> None:
        if count:
            CASES[f"{label} {mode}"] += 1
        try:
            case.call_and_validate(checks=checks, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup, or an exception out of the app
            failures.append(f"{type(exc).__name__}: {exc}\n  case: {case.method} {case.formatted_path} "
                            f"query={case.query!r} path={case.path_parameters!r}"[:3000])

    try:
        run()
    except Unsatisfiable:
        if mode == "positive" or _has_inputs(operation):
            raise
        # an operation without any parameter (GET /health) has no invalid input to make
    return failures


def _has_inputs(operation: object) -> bool:
    definition = operation.definition.raw  # type: ignore[attr-defined]
    return bool(definition.get("parameters") or definition.get("requestBody"))


@pytest.mark.parametrize("mode", ["positive", "negative"])
@pytest.mark.parametrize("label", LABELS)
def test_operation_answers_within_its_schema(read_schema: object, label: str, mode: str) -> None:
    failures = fuzz(read_schema, label, mode)
    assert not failures, f"{len(failures)} failing cases:\n" + "\n\n".join(failures[:5])


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_upload_with_the_token_answers_within_its_schema(upload_schema: object, mode: str) -> None:
    """Random multipart bodies, with the right token, reach the parser: 422 (or 201), never 500."""
    failures = fuzz(upload_schema, "POST /plans", mode, headers={"Authorization": f"Bearer {TOKEN}"})
    assert not failures, f"{len(failures)} failing cases:\n" + "\n\n".join(failures[:5])


def test_every_operation_of_the_document_is_fuzzed() -> None:
    assert "POST /plans" in LABELS and "GET /tasks" in LABELS
    methods = {label.split(" ", 1)[0] for label in LABELS}
    assert methods == {"GET", "POST"}, methods


# --- the harness is awake -------------------------------------------------------------------------


class _Out(BaseModel):
    n: int


def _broken_app() -> FastAPI:
    app = FastAPI()

    @app.get("/crash", response_model=_Out)
    def crash(x: int = Query(0, ge=0, le=100)) -> _Out:
        if x > 10:
            raise RuntimeError("a bug")
        return _Out(n=x)

    @app.get("/lie", response_model=None, responses={200: {"model": _Out}})
    def lie(x: int = Query(0, ge=0, le=100)) -> dict:
        return {"n": "not a number"} if x % 2 else {"n": x}

    return app


def test_the_harness_reports_a_500_and_a_schema_violation() -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", _broken_app())
    crash = fuzz(schema, "GET /crash", "positive", count=False)
    lie = fuzz(schema, "GET /lie", "positive", count=False)
    assert crash and all("a bug" in f for f in crash)
    assert lie and any("violates schema" in f for f in lie)
