"""Every Cypher statement plangraph sends, as named constants; nothing else builds Cypher.

Why one module: the statements can be read, reviewed and linted in one place (the test suite runs
each through Neo4j's own Cypher front end, ``tests/cypher/lint.mjs``), and no code path can splice
a user's value into a query. Values always travel as ``$parameters``. Labels and relationship types
cannot be parameters in Cypher, so statements that differ only by label are generated here, once, at
import time, from the fixed vocabulary of ``graph/build.py`` (never from data), and kept in dicts
keyed by label or by edge signature.

Statements keep to the Cypher that Neo4j 5 and FalkorDB share (``properties()``, ``labels()``,
``UNWIND … MERGE``, ``DETACH DELETE``, ``OPTIONAL MATCH … count``), except ``SCHEMA``, which is
Neo4j's constraint and index DDL.
"""

from __future__ import annotations

from typing import Any

from . import build as _build

_AGENCY_LABELS = _build.AGENCY_LABELS

# --- schema (Neo4j only: FalkorDB's index DDL differs) -----------------------------------------


def _constraint(label: str) -> str:
    return f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"


def _index(label: str, prop: str) -> str:
    return f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"


def _text_index(label: str, prop: str) -> str:
    return f"CREATE TEXT INDEX {label.lower()}_{prop}_text IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"


#: Uniqueness of ``id`` per label, then the lookups the reads use (plan, jurisdiction, names).
SCHEMA: tuple[str, ...] = (
    *(_constraint(label) for label in _build.NODE_LABELS),
    *(_index(label, "plan_id") for label in _build.OWNED_LABELS),
    *(_index(label, "jurisdiction") for label in ("Action", "Task", *_AGENCY_LABELS)),
    *(_index(label, prop) for label in _AGENCY_LABELS for prop in ("name", "stem")),
    *(_text_index(label, "keys_text") for label in _AGENCY_LABELS),
    _text_index("Task", "title"),
    _text_index("Task", "text"),
)

#: Agencies stored before ``keys_text`` existed get it (run with the schema; a no-op after).
FILL_KEYS_TEXT: dict[str, str] = {
    lb: (f"MATCH (a:{lb}) WHERE a.keys_text IS NULL "
         "SET a.keys_text = reduce(s = $separator, k IN coalesce(a.keys, []) | s + k + $separator)")
    for lb in _AGENCY_LABELS
}

# --- writes -------------------------------------------------------------------------------------

#: ``$rows``: ``[{id, props}]``; one statement per label.
MERGE_NODES: dict[str, str] = {
    label: f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n += row.props"
    for label in _build.NODE_LABELS
}

#: ``$rows``: ``[{src, dst, props}]``; one statement per (source label, type, target label).
MERGE_EDGES: dict[tuple[str, str, str], str] = {
    (src, type, dst): (
        f"UNWIND $rows AS row MATCH (s:{src} {{id: row.src}}) MATCH (d:{dst} {{id: row.dst}}) "
        f"MERGE (s)-[r:{type}]->(d) SET r += row.props"
    )
    for src, type, dst in _build.EDGE_SIGNATURES
}

#: ``$plan_ids``: the plans being replaced or deleted; every node they own goes with its edges.
DELETE_OWNED: dict[str, str] = {
    label: f"UNWIND $plan_ids AS pid MATCH (n:{label} {{plan_id: pid}}) DETACH DELETE n"
    for label in _build.OWNED_LABELS
}

#: Shared kind nodes no agency points at any more.
PRUNE_KINDS = (
    "MATCH (k:AgencyKind) OPTIONAL MATCH (k)<-[r:IS_KIND]-() WITH k, count(r) AS n WHERE n = 0 DELETE k"
)

#: Which of ``$plan_ids`` are stored (to report "replaced").
STORED_PLANS = "UNWIND $plan_ids AS pid MATCH (p:Plan {id: pid}) RETURN p.id AS id"

# --- stats --------------------------------------------------------------------------------------

COUNT_NODES = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n"
COUNT_EDGES = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"

# --- reads: jurisdictions, actions, tasks -------------------------------------------------------

JURISDICTIONS = "MATCH (p:Plan)-[:OF]->(j:Jurisdiction) RETURN properties(j) AS j, properties(p) AS p"
JURISDICTION = (
    "MATCH (p:Plan)-[:OF]->(j:Jurisdiction {id: $name}) RETURN properties(j) AS j, properties(p) AS p"
)
ACTIONS_OF_JURISDICTION = "MATCH (a:Action {jurisdiction: $jurisdiction}) RETURN properties(a) AS a"

TASKS_BY_IDS = "UNWIND $ids AS tid MATCH (t:Task {id: tid}) RETURN properties(t) AS t"
TASKS_OF_ACTION = "MATCH (t:Task)-[:IN]->(:Action {id: $action_id}) RETURN properties(t) AS t"
TASKS_OF_JURISDICTION = "MATCH (t:Task {jurisdiction: $jurisdiction}) RETURN properties(t) AS t"
TASKS_ALL = "MATCH (t:Task) RETURN properties(t) AS t"
SEARCH_TASKS = (
    "MATCH (t:Task) WHERE t.title CONTAINS $text OR t.text CONTAINS $text RETURN properties(t) AS t"
)
SEARCH_TASKS_OF_JURISDICTION = (
    "MATCH (t:Task {jurisdiction: $jurisdiction}) WHERE t.title CONTAINS $text OR t.text CONTAINS $text "
    "RETURN properties(t) AS t"
)

# --- reads: agencies and groups (one statement per label: Agency, AgencyGroup) ------------------

_AGENCY = "RETURN properties(a) AS a"
AGENCIES_BY_IDS: dict[str, str] = {
    lb: f"UNWIND $ids AS aid MATCH (a:{lb} {{id: aid}}) {_AGENCY}" for lb in _AGENCY_LABELS
}
AGENCIES_OF_JURISDICTION: dict[str, str] = {
    lb: f"MATCH (a:{lb} {{jurisdiction: $jurisdiction}}) {_AGENCY}" for lb in _AGENCY_LABELS
}
AGENCIES_OF_KIND: dict[str, str] = {
    lb: f"MATCH (a:{lb})-[:IS_KIND]->(:AgencyKind {{id: $kind}}) {_AGENCY}" for lb in _AGENCY_LABELS
}
#: ``keys`` holds the name, every spelling and the stems. A list property has no index in Neo4j,
#: so the keys are also stored as one string between separators, ``keys_text``, whose text index
#: answers ``CONTAINS``: ``$keyed`` is the name between separators (a whole key, never a part).
#: ``toString``: the planner uses a text index only where it can tell the value is a STRING (Neo4j
#: Cypher manual, "Ensuring text index use").
AGENCIES_BY_NAME: dict[str, str] = {
    lb: f"MATCH (a:{lb}) WHERE a.keys_text CONTAINS toString($keyed) {_AGENCY}" for lb in _AGENCY_LABELS
}
AGENCIES_ALL: dict[str, str] = {lb: f"MATCH (a:{lb}) {_AGENCY}" for lb in _AGENCY_LABELS}

GROUP_MEMBERS = (
    "MATCH (a)-[:MEMBER_OF]->(:AgencyGroup {id: $group_id}) "
    "RETURN properties(a) AS a, 'AgencyGroup' IN labels(a) AS is_group"
)
KINDS = "MATCH (k:AgencyKind) OPTIONAL MATCH (k)<-[r:IS_KIND]-() RETURN k.id AS kind, count(r) AS agencies"

# --- reads: who is on which task, in which role -------------------------------------------------

_ROLE_EDGE = "[r:LEADS|SUPPORTS|RESPONSIBLE]"
_ASSIGNMENT = (
    "WHERE type(r) IN $types RETURN type(r) AS type, properties(r) AS r, "
    "{id: a.id, name: a.name} AS a, 'AgencyGroup' IN labels(a) AS is_group, "
    "{id: t.id, seq: t.seq, title: t.title, action_id: t.action_id, action_seq: t.action_seq, "
    "action_key: t.action_key, action_title: t.action_title, plan_id: t.plan_id, "
    "jurisdiction: t.jurisdiction} AS t"
)
ASSIGNMENTS_BY_AGENCIES: dict[str, str] = {
    lb: f"UNWIND $agency_ids AS aid MATCH (a:{lb} {{id: aid}})-{_ROLE_EDGE}->(t:Task) {_ASSIGNMENT}"
    for lb in _AGENCY_LABELS
}
ASSIGNMENTS_BY_TASKS = f"UNWIND $task_ids AS tid MATCH (a)-{_ROLE_EDGE}->(t:Task {{id: tid}}) {_ASSIGNMENT}"
ASSIGNMENTS_OF_JURISDICTION = f"MATCH (a)-{_ROLE_EDGE}->(t:Task {{jurisdiction: $jurisdiction}}) {_ASSIGNMENT}"
ASSIGNMENTS_ALL = f"MATCH (a)-{_ROLE_EDGE}->(t:Task) {_ASSIGNMENT}"

_ACTION_LEAD = (
    "RETURN properties(r) AS r, {id: a.id, name: a.name} AS a, 'AgencyGroup' IN labels(a) AS is_group, "
    "properties(x) AS x"
)
ACTION_LEADS_BY_AGENCIES: dict[str, str] = {
    lb: f"UNWIND $agency_ids AS aid MATCH (a:{lb} {{id: aid}})-[r:LEADS]->(x:Action) {_ACTION_LEAD}"
    for lb in _AGENCY_LABELS
}
ACTION_LEADS_BY_ACTIONS = f"UNWIND $action_ids AS xid MATCH (a)-[r:LEADS]->(x:Action {{id: xid}}) {_ACTION_LEAD}"
ACTION_LEADS_OF_JURISDICTION = f"MATCH (a)-[r:LEADS]->(x:Action {{jurisdiction: $jurisdiction}}) {_ACTION_LEAD}"
ACTION_LEADS_ALL = f"MATCH (a)-[r:LEADS]->(x:Action) {_ACTION_LEAD}"

#: Every parameter a statement uses, with an example value (the linter declares these).
PARAMETERS: dict[str, Any] = {
    "rows": [], "plan_ids": [], "ids": [], "agency_ids": [], "task_ids": [], "action_ids": [],
    "types": [], "name": "", "jurisdiction": "", "kind": "", "group_id": "", "action_id": "",
    "text": "", "keyed": "", "separator": "",
}


#: Keys of the ``$rows`` maps the writes read (``row.src``); the linter cannot tell them from
#: property keys, so it is told about them too.
ROW_KEYS: tuple[str, ...] = ("id", "src", "dst", "props")
_NOT_STATEMENTS = {"PARAMETERS", "ROW_KEYS"}


def all_statements() -> dict[str, str]:
    """Every statement of this module by a readable name (``MERGE_EDGES[Agency,LEADS,Task]``)."""
    out: dict[str, str] = {}
    for name, value in globals().items():
        if not name.isupper() or name.startswith("_") or name in _NOT_STATEMENTS:
            continue
        if isinstance(value, str):
            out[name] = value
        elif isinstance(value, tuple):
            out.update({f"{name}[{i}]": s for i, s in enumerate(value)})
        elif isinstance(value, dict):
            out.update({f"{name}[{_key(k)}]": s for k, s in value.items()})
    return out


def _key(k: str | tuple[str, ...]) -> str:
    return ",".join(k) if isinstance(k, tuple) else k
