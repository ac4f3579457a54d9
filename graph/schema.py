"""The embedded store's SQLite schema, and how a connection to it is opened.

Why SQLite: one file, opened in a fraction of a millisecond by any process, answering each
question from an index instead of loading the whole graph first; WAL mode lets many readers
(``plangraph serve --workers N``, CLI questions) read while one writer (``plangraph load``, an
upload) writes, across processes, with SQLite's own locks and journal. Every connection sets:

- ``journal_mode=WAL``: readers never wait for the writer, nor the writer for readers;
- ``synchronous=FULL``: a committed plan survives a power cut (a commit costs one more fsync of
  the WAL; a bulk load commits per batch of plans, so this is cheap);
- ``busy_timeout``: a writer waits for another process's write to finish instead of failing.

Tables (``plan`` columns are ``plans.n``; rows of a plan go with it). A plan is identified by its
place (``Jurisdiction.key``: the division code where known, else the name) and its period; its
public ids (``plan:丰都县``, ``丰都县:t1.2``) are the ones ``graph/model.py`` derives, and they
resolve to the place's current plan (``plans.current``: the latest period).

    plans(n, id, place, period, jurisdiction, current, props, jprops, checksum)
    sources(plan, name, sha256, data)          the file a plan was read from, zlib-compressed
    actions(n, plan, id, seq, props)
    tasks(n, plan, id, action, action_seq, seq, title, text, props)
    agencies(n, plan, id, is_group, name, n_lead, n_support, n_responsible, props)
    agency_keys(plan, agency, key)             every name a user may type for an agency
    agency_kinds(plan, agency, kind, guessed)
    members(plan, agency, grp)                 agency -> the group that lists it
    roles(plan, agency, task, role, spelling, span_start, span_end)   0 lead, 1 support, 2 responsible
    action_leads(plan, agency, action, spelling, span_start, span_end)
    derived(name, generation, version, data)   what is computed from all plans (themes)
    meta(key, value)                           schema version; ``generation``, +1 per write

``props`` columns hold the rest of a record's properties as JSON (the ones no question filters on).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA_VERSION = 1
APPLICATION_ID = 0x706C6E67  # "plng": ``PRAGMA application_id`` marks a plangraph store
BUSY_TIMEOUT_MS = 60_000
SQLITE_MAGIC = b"SQLite format 3\x00"
LEGACY_MAGIC = b"plangraph-embedded-graph v1\n"

#: Tables whose rows belong to one plan, with the columns a plan's checksum covers, in order.
PLAN_TABLES: dict[str, tuple[str, ...]] = {
    "actions": ("n", "id", "seq", "props"),
    "tasks": ("n", "id", "action", "action_seq", "seq", "title", "text", "props"),
    "agencies": ("n", "id", "is_group", "name", "n_lead", "n_support", "n_responsible", "props"),
    "agency_keys": ("agency", "key"),
    "agency_kinds": ("agency", "kind", "guessed"),
    "members": ("agency", "grp"),
    "roles": ("agency", "task", "role", "spelling", "span_start", "span_end"),
    "action_leads": ("agency", "action", "spelling", "span_start", "span_end"),
}

DDL = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE plans(
    n INTEGER PRIMARY KEY, id TEXT NOT NULL, place TEXT NOT NULL, period TEXT NOT NULL,
    jurisdiction TEXT NOT NULL, current INTEGER NOT NULL, props TEXT NOT NULL, jprops TEXT NOT NULL,
    checksum TEXT NOT NULL, UNIQUE(place, period));
CREATE INDEX plans_jurisdiction ON plans(jurisdiction, current);
CREATE TABLE sources(plan INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT, data BLOB);
CREATE TABLE actions(n INTEGER PRIMARY KEY, plan INTEGER NOT NULL, id TEXT NOT NULL, seq INTEGER, props TEXT);
CREATE INDEX actions_plan ON actions(plan);
CREATE INDEX actions_id ON actions(id);
CREATE TABLE tasks(
    n INTEGER PRIMARY KEY, plan INTEGER NOT NULL, id TEXT NOT NULL, action INTEGER NOT NULL,
    action_seq INTEGER, seq INTEGER, title TEXT, text TEXT, props TEXT);
CREATE INDEX tasks_plan ON tasks(plan);
CREATE INDEX tasks_id ON tasks(id);
CREATE INDEX tasks_action ON tasks(action);
CREATE TABLE agencies(
    n INTEGER PRIMARY KEY, plan INTEGER NOT NULL, id TEXT NOT NULL, is_group INTEGER NOT NULL,
    name TEXT NOT NULL, n_lead INTEGER, n_support INTEGER, n_responsible INTEGER, props TEXT);
CREATE INDEX agencies_plan ON agencies(plan);
CREATE INDEX agencies_id ON agencies(id);
CREATE TABLE agency_keys(plan INTEGER NOT NULL, agency INTEGER NOT NULL, key TEXT NOT NULL);
CREATE INDEX agency_keys_key ON agency_keys(key);
CREATE INDEX agency_keys_plan ON agency_keys(plan);
CREATE TABLE agency_kinds(plan INTEGER NOT NULL, agency INTEGER NOT NULL, kind TEXT NOT NULL, guessed INTEGER);
CREATE INDEX agency_kinds_kind ON agency_kinds(kind);
CREATE INDEX agency_kinds_plan ON agency_kinds(plan);
CREATE TABLE members(plan INTEGER NOT NULL, agency INTEGER NOT NULL, grp INTEGER NOT NULL);
CREATE INDEX members_grp ON members(grp);
CREATE INDEX members_plan ON members(plan);
CREATE TABLE roles(
    plan INTEGER NOT NULL, agency INTEGER NOT NULL, task INTEGER NOT NULL, role INTEGER NOT NULL,
    spelling TEXT, span_start INTEGER, span_end INTEGER);
CREATE INDEX roles_agency ON roles(agency, role);
CREATE INDEX roles_task ON roles(task);
CREATE INDEX roles_plan ON roles(plan);
CREATE TABLE action_leads(
    plan INTEGER NOT NULL, agency INTEGER NOT NULL, action INTEGER NOT NULL, spelling TEXT,
    span_start INTEGER, span_end INTEGER);
CREATE INDEX action_leads_agency ON action_leads(agency);
CREATE INDEX action_leads_action ON action_leads(action);
CREATE INDEX action_leads_plan ON action_leads(plan);
CREATE TABLE derived(name TEXT PRIMARY KEY, generation INTEGER NOT NULL, version TEXT NOT NULL, data BLOB)
    WITHOUT ROWID;
"""


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit ``BEGIN``s) with the pragmas
    every connection to the store needs. One per thread: ``sqlite3`` connections are not shared."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=OFF")
    return conn


def create(conn: sqlite3.Connection) -> None:
    """The tables of an empty store, in one transaction (another process may create it at once)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            for statement in DDL.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO meta VALUES ('schema', ?), ('generation', 0)", (SCHEMA_VERSION,))
            conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
