"""Reading a store of earlier plangraph versions (a pickled networkx graph, ``graph.bin``, with its
journal ``graph.bin.journal``) once, to import its plans into the SQLite store.

Why a restricted reader: a pickle runs code when loaded. Only the classes such a file holds are
allowed (networkx's graph classes, plangraph's record classes, plain containers); anything else is
refused with ``StoreFileError`` instead of being run. The plans come back as the records the
store writes (``graph/build.py``); their source files were not kept by those versions, so
``plangraph reparse`` cannot read imported plans again (``check`` still covers them).
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

from .build import EdgeRecord, NodeRecord, PlanRecords
from .errors import StoreFileError
from .schema import LEGACY_MAGIC

__all__ = ["read_legacy"]

JOURNAL_MAGIC = b"plangraph-journal v1 "
_HEAD = struct.Struct("<II")
_ALLOWED_MODULES = ("networkx.classes.",)
_ALLOWED = {
    ("builtins", name) for name in ("dict", "list", "tuple", "set", "frozenset", "str", "int", "float", "bool")
} | {
    ("plangraph.graph.build", name) for name in ("PlanRecords", "NodeRecord", "EdgeRecord")
} | {("collections", "defaultdict"), ("collections", "OrderedDict"), ("functools", "partial")}


class _Restricted(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED or module.startswith(_ALLOWED_MODULES):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refused: {module}.{name} is not part of a plangraph graph file")


def _load(data: bytes, where: str) -> Any:
    try:
        return _Restricted(io.BytesIO(data)).load()
    except Exception as exc:
        raise StoreFileError(f"{where}: not a readable graph file of an earlier plangraph ({exc})") from None


def read_legacy(path: Path) -> list[PlanRecords]:
    """Every plan of an old store (graph file, then its journal's entries in order)."""
    raw = path.read_bytes()
    if not raw.startswith(LEGACY_MAGIC):
        raise StoreFileError(f"{path}: not a graph file of an earlier plangraph")
    data = _load(raw[len(LEGACY_MAGIC):], str(path))
    graph = data.get("graph") if isinstance(data, dict) else None
    if graph is None or not hasattr(graph, "_succ"):
        raise StoreFileError(f"{path}: not a graph file of an earlier plangraph")
    plans: dict[str, PlanRecords] = {recs.plan_id: recs for recs in _plans_of(graph)}
    stamp = data.get("stamp")
    for kind, value in _journal(path.with_name(path.name + ".journal"), stamp):
        if kind == "replace" and isinstance(value, PlanRecords):
            plans[value.plan_id] = value
        elif kind == "delete":
            plans.pop(value, None)
    return list(plans.values())


def _plans_of(graph: Any) -> list[PlanRecords]:
    """The records of each plan in the graph: its nodes (by ``plan_id``), the edges leaving them,
    and the shared kind nodes they point to."""
    owned: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, props in graph._node.items():
        if "plan_id" in props:
            owned[props["plan_id"]].append(key)
    out = []
    for plan_id, keys in owned.items():
        plan = graph._node.get(("Plan", plan_id), {})
        nodes = [NodeRecord(label, id, dict(graph._node[(label, id)])) for label, id in keys]
        edges, kinds = [], {}
        for u in keys:
            for v, types in graph._succ[u].items():
                for t, props in types.items():
                    edges.append(EdgeRecord(u[0], u[1], t, v[0], v[1], dict(props)))
                    if v[0] == "AgencyKind":
                        kinds[v[1]] = dict(graph._node.get(v, {"id": v[1], "name": v[1]}))
        nodes += [NodeRecord("AgencyKind", k, p) for k, p in sorted(kinds.items())]
        out.append(PlanRecords(plan_id, plan.get("jurisdiction", plan_id), plan.get("source_file", ""), nodes, edges))
    return out


def _journal(path: Path, stamp: Any) -> list[tuple[str, Any]]:
    """The whole entries of the journal that extends this graph file (none when it extends another)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    header, _, body = raw.partition(b"\n")
    if not isinstance(stamp, str) or header != JOURNAL_MAGIC + stamp.encode("ascii"):
        return []
    entries, pos = [], 0
    while pos + _HEAD.size <= len(body):
        length, crc = _HEAD.unpack_from(body, pos)
        payload = body[pos + _HEAD.size: pos + _HEAD.size + length]
        if len(payload) < length:  # a write cut short by a killed writer: the entries before it count
            break
        if zlib.crc32(payload) != crc:
            raise StoreFileError(f"{path}: damaged entry at byte {len(header) + 1 + pos}")
        entries.append(_load(payload, str(path)))
        pos += _HEAD.size + length
    return entries
