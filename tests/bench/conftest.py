"""The benchmark smoke test: registers its marker (benchmarks print figures; this only proves the
national benchmark script still runs end to end, with tiny settings)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "bench_smoke: runs a benchmark script end to end with tiny settings (< 30 s)")
