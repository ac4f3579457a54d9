"""docker-compose.yml and the Dockerfile, checked by reading them (no Docker engine runs here).

This proves the file's structure only: the services, the healthcheck, the wait for a healthy Neo4j,
the settings the API reads, the read-only plans mount and the command. That ``docker compose up``
then gives a working API can only be shown on a machine with Docker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from plangraph.graph.settings import Neo4jSettings

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))


def test_neo4j_service_has_a_healthcheck_and_a_named_volume(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5"
    test = " ".join(neo4j["healthcheck"]["test"])
    assert "cypher-shell" in test and "RETURN 1" in test
    assert {"interval", "retries", "start_period"} <= neo4j["healthcheck"].keys()
    volume = neo4j["volumes"][0].split(":")
    assert volume[1] == "/data" and volume[0] in compose["volumes"]
    assert neo4j["environment"]["NEO4J_AUTH"].startswith("neo4j/")


def test_api_waits_for_healthy_neo4j_and_loads_the_mounted_plans(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["build"] == "."
    assert api["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    env = api["environment"]
    assert env["NEO4J_URI"] == "bolt://neo4j:7687" and env["PLANGRAPH_STORE"] == "neo4j"
    assert {"NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"} <= env.keys()
    settings = Neo4jSettings(**{k.removeprefix("NEO4J_").lower(): v for k, v in env.items() if k.startswith("NEO4J_")})
    assert settings.auth() is not None
    source, target, mode = api["volumes"][0].rsplit(":", 2)
    assert target == "/plans" and mode == "ro" and "PLANS_DIR" in source
    command = " ".join(api["command"])
    assert "plangraph load /plans --store neo4j" in command
    assert "plangraph serve --store neo4j --host 0.0.0.0" in command


def test_dockerfile_installs_the_project_on_python_311_slim() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert dockerfile.splitlines()[1] == "FROM python:3.11-slim"
    assert "pip install ." in dockerfile
    for folder in ("plangraph", "graph", "loaders", "queries", "api", "viz"):
        assert f"COPY {folder} ./{folder}" in dockerfile, folder
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", "tests"} <= set(ignored)
