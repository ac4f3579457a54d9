"""Parsing an uploaded plan with a time limit, in a child process that can be stopped.

A thread cannot be stopped, so a pathological file would hold a worker forever; a forked child
is killed when the limit passes and the request gets a clear 422.
"""

from __future__ import annotations

import multiprocessing as mp

from plangraph.graph.model import Plan
from plangraph.loaders import PlanError, parse_bytes


class ParseTimeout(PlanError):
    pass


def _parse(data: bytes, name: str) -> Plan | str:
    try:
        return parse_bytes(data, name)
    except PlanError as exc:
        return str(exc)


def parse_with_limit(data: bytes, name: str, seconds: float) -> Plan:
    """The plan, or PlanError (including a timeout) naming the file and the reason."""
    ctx = mp.get_context("fork")
    with ctx.Pool(1) as pool:
        pending = pool.apply_async(_parse, (data, name))
        try:
            result = pending.get(timeout=seconds)
        except mp.TimeoutError:
            pool.terminate()
            raise ParseTimeout(name, f"parsing took longer than {seconds:g} s; refused") from None
    if isinstance(result, str):
        raise PlanError(name, result.removeprefix(f"{name}: "))
    return result
