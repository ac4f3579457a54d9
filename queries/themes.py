"""Task themes: tasks of different plans that are the same work, linked to one theme with a score.

Why: a researcher asks "who leads 智慧助老 in each county?", but each plan words the task its own
way ("实施智慧助老行动", "开展智慧助老行动", "实施智慧助老科普行动"), splits it, or hides it behind a
title that says little. The matching (``queries/theme_match.py``) reads what a task says — its
title, its whole paragraph, the known works it names, the action it sits in and the kinds of its
lead bodies — and needs no list of known tasks, so it works on plans never seen before. This
module feeds it the store's tasks and turns its themes into answers: ids, labels, each link's
score, and on demand each link's evidence.

The parameters live in ``graph/data/themes.yaml`` and ``graph/data/theme_phrases.yaml``; the
threshold was chosen on the seeds against labels written by reading them (``docs/themes.md``). The
themes are computed from ``store.tasks()`` and their leads' kinds; the writers keep them in the
embedded store with the store generation they were computed at (``theme_index``), so both stores
answer alike and an upload is seen on the next question.

Example:
    >>> index = theme_index(store)                                  # doctest: +SKIP
    >>> index.theme_of("丰都县:t4.1").label                          # doctest: +SKIP
    '实施智慧助老行动'
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import orjson
from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from plangraph.graph.heap import no_gc
from plangraph.graph.rows import TaskRow
from plangraph.graph.store import GraphStore, KeepsDerived

from .errors import NotFound
from .names import NameCatalog, resolve_jurisdiction, suggest
from .results import Page
from .theme_match import (Encoder, MatchSettings, TaskText, Themes, cluster, explain_many, match_settings,
                          strip_title)

MAX_LABEL_CANDIDATES = 20

__all__ = [
    "LeadAgency", "LeadBasis", "SharedTheme", "Theme", "ThemeIndex", "ThemeLink", "ThemeSettings", "ThemeSide",
    "ThemePage", "ThemeSummary", "build_themes", "get_theme", "jaccard", "list_themes", "settings_version",
    "theme_index", "theme_settings", "themes_for", "title_key",
]


# --- settings and what a task is compared by ----------------------------------------------

ThemeSettings = MatchSettings  # the method's parameters (graph/data/themes.yaml)


def theme_settings() -> ThemeSettings:
    """Read and check ``data/themes.yaml`` and ``data/theme_phrases.yaml`` once per process."""
    return match_settings()


def title_key(title: str, settings: ThemeSettings | None = None) -> str:
    """The title without generic opening verbs and one generic ending: 加强科普基地建设 -> 科普基地."""
    return strip_title(title, settings)


def task_text(task: TaskRow, lead_kinds: Sequence[str] = ()) -> TaskText:
    """What the matching reads of a stored task: its paragraph without the responsibility clause,
    its action key and the kinds of its lead bodies."""
    text = task.text.replace(task.clause, "") if task.clause else task.text
    return TaskText(id=task.id, plan=task.plan_id, action_key=task.action_key, title=task.title,
                    text=text, lead_kinds=tuple(sorted(set(lead_kinds))))


def lead_kinds_of(store: GraphStore, tasks: Sequence[TaskRow] | None = None) -> dict[str, list[str]]:
    """Task id -> the kinds of the bodies leading it (the task's own leads, else its action's);
    ``tasks``: the store's tasks when the caller has read them already."""
    kinds = {a.id: a.kinds for a in store.agencies()}
    out: dict[str, list[str]] = defaultdict(list)
    for row in store.assignments(roles=["lead"]):
        out[row.task_id].extend(kinds.get(row.agency_id, ()))
    by_action: dict[str, list[str]] = defaultdict(list)
    for row in store.action_leads():
        by_action[row.action_id].extend(kinds.get(row.agency_id, ()))
    if by_action:
        for task in tasks if tasks is not None else store.tasks():
            if task.id not in out and task.action_id in by_action:
                out[task.id] = by_action[task.action_id]
    return out


# --- answers --------------------------------------------------------------------------------


class LinkEvidence(BaseModel):
    """What made a link: the score against one task of the theme, each block's share of it, the
    stretches of text both tasks contain, and the known works (graph/data/theme_phrases.yaml) both name."""

    compared_with: str = Field(description="Task id of the theme's task this one was compared with")
    score: float
    parts: dict[str, float] = Field(description="Share (0..100) of each block: title, text, phrases, "
                                                "action_key, lead_kinds; they sum to the score")
    phrases: list[str]
    concepts: list[str]
    same_action_key: bool
    shared_lead_kinds: list[str]


class ThemeLink(BaseModel):
    """One task linked to a theme, with its score (best match among the theme's other tasks)."""

    theme_id: str
    task_id: str
    task_title: str
    jurisdiction: str
    plan_id: str
    action_id: str
    action_key: str
    action_title: str
    score: float = Field(description="Mean score (0..100) against the theme's first tasks (its examples) "
                                      "other than itself; 100 when the theme has no other task")
    split: bool = Field(False, description="Joined as a further task of a plan that already had one in "
                                           "this theme (the plan split the work)")
    evidence: LinkEvidence | None = Field(None, description="Why it is linked (on /themes/{id}): compared "
                                                            "with the theme's most typical task")


class Theme(BaseModel):
    """Tasks of different plans that are the same work (several of one plan when it split the work)."""

    id: str = Field(description="'<action key>:<label>'; stable while the loaded plans do not change")
    action_key: str
    label: str = Field(description="The most common title among its tasks")
    jurisdictions: int = Field(description="How many plans have a task of this theme")
    members: list[ThemeLink]


LeadBasis = Literal["lead", "action_lead", "responsible", "none"]


class LeadAgency(BaseModel):
    """An agency leading a theme's task, with its kinds (``kinds_guessed`` when the kinds file
    does not list its name)."""

    id: str
    name: str
    kinds: list[str]
    kinds_guessed: bool = False


class ThemeSide(BaseModel):
    """One jurisdiction's task of a theme and who leads it, by kind."""

    jurisdiction: str
    task_id: str
    task_title: str
    score: float = Field(description="The task's score in the theme (0..100)")
    lead_basis: LeadBasis = Field(description="lead: the task's own leads; action_lead: the plan names "
                                              "none, these lead its whole action; responsible: the plan "
                                              "names these jointly and no lead; none: nobody named")
    lead_kinds: list[str]
    leads: list[LeadAgency]


class SharedTheme(BaseModel):
    """A theme every asked jurisdiction has, with each one's task and leads."""

    id: str
    action_key: str
    label: str
    jurisdictions: int = Field(description="Plans of the whole graph that have this theme")
    sides: list[ThemeSide]
    common_lead_kinds: list[str] = Field(description="Kinds leading this theme in every asked jurisdiction")


def jaccard(a: set[str], b: set[str]) -> float:
    """Shared / either (0..1): how much two sets of themes overlap."""
    union = a | b
    return round(len(a & b) / len(union), 4) if union else 0.0


# --- clustering (queries/theme_match.py) ---------------------------------------------------


def _label(titles: Sequence[str], settings: ThemeSettings) -> str:
    """The most common title; among equally common ones, the one closest to the others."""
    counts = Counter(titles)
    top = max(counts.values())
    tied = [title for title in counts if counts[title] == top][:MAX_LABEL_CANDIDATES]
    keys = {title: title_key(title, settings) for title in tied}

    def closeness(title: str) -> tuple[float, int, str]:
        return (-sum(fuzz.ratio(keys[title], keys[o]) for o in tied if o != title), len(title), title)

    return min(tied, key=closeness)


def _link(theme_id: str, task: TaskRow, score: float, split: bool) -> ThemeLink:
    return ThemeLink(theme_id=theme_id, task_id=task.id, task_title=task.title, jurisdiction=task.jurisdiction,
                     plan_id=task.plan_id, action_id=task.action_id, action_key=task.action_key,
                     action_title=task.action_title, score=score, split=split)


def _finish(built: Themes, rows: Mapping[str, TaskRow], settings: ThemeSettings) -> list[Theme]:
    """Themes with ids, labels, and each member's score against the theme's examples."""
    themes: list[Theme] = []
    used: Counter[str] = Counter()
    for i, cluster in enumerate(built.themes):
        tasks = [rows[built.tasks[r].id] for r in cluster.members]
        key = Counter(t.action_key for t in tasks).most_common(1)[0][0]
        label = _label([t.title for t in tasks], settings)
        base = f"{key}:{label}"
        used[base] += 1
        theme_id = base if used[base] == 1 else f"{base}~{used[base]}"
        scores = built.member_scores(i)
        members = sorted((_link(theme_id, t, sc, sp) for t, sc, sp in zip(tasks, scores, cluster.split, strict=True)),
                         key=lambda m: (m.jurisdiction, m.task_id))
        themes.append(Theme(id=theme_id, action_key=key, label=label, jurisdictions=len(cluster.plans),
                            members=members))
    return themes


def build_matched(tasks: Iterable[TaskRow], settings: ThemeSettings | None = None,
                  lead_kinds: Mapping[str, Sequence[str]] | None = None) -> tuple[list[Theme], Themes]:
    """Themes of the given tasks (all plans), and the matching state that can take one more plan."""
    settings = settings or theme_settings()
    rows = {t.id: t for t in tasks}
    kinds = lead_kinds or {}
    with no_gc():
        built = cluster([task_text(t, kinds.get(t.id, ())) for t in rows.values()], settings)
        themes = _finish(built, rows, settings)
    order = {key: i for i, key in enumerate(dict.fromkeys(sorted(t.action_key for t in themes)))}
    themes.sort(key=lambda t: order[t.action_key])  # action-key order, then by first appearance
    return themes, built


def build_themes(tasks: Iterable[TaskRow], settings: ThemeSettings | None = None,
                 lead_kinds: Mapping[str, Sequence[str]] | None = None) -> list[Theme]:
    """Themes of the given tasks (all plans), in action-key order, then by first appearance."""
    return build_matched(tasks, settings, lead_kinds)[0]


# --- the index, kept in the store ----------------------------------------------------------

THEMES_KEPT_AS = "themes"


class ThemeIndex:
    """All themes of a store state, with look-ups by id, task and jurisdiction."""

    def __init__(self, themes: list[Theme], settings: ThemeSettings, seconds: float = 0.0,
                 generation: int | None = None, encoder: Encoder | None = None) -> None:
        self.themes = themes
        # The fitted weights, to explain a link later; None for themes read back from the store
        # (the evidence is then weighed on the theme's own tasks).
        self.encoder = encoder
        self._explained: dict[str, Theme] = {}
        self._explain_lock = threading.Lock()
        self.settings = settings
        self.seconds = seconds
        self.generation = generation  # the store generation the themes were computed at, if it counts
        self.by_id: dict[str, Theme] = {t.id: t for t in themes}
        self.link_of_task: dict[str, ThemeLink] = {m.task_id: m for t in themes for m in t.members}
        self.by_jurisdiction: dict[str, dict[str, ThemeLink]] = defaultdict(dict)
        for theme in themes:
            for m in sorted(theme.members, key=lambda m: m.split):  # a plan's main task first
                self.by_jurisdiction[m.jurisdiction].setdefault(theme.id, m)

    def theme_of(self, task_id: str) -> Theme | None:
        link = self.link_of_task.get(task_id)
        return self.by_id[link.theme_id] if link else None

    def themes_of(self, jurisdiction: str) -> dict[str, ThemeLink]:
        """Theme id -> the jurisdiction's task in it."""
        return self.by_jurisdiction.get(jurisdiction, {})


def settings_version(settings: ThemeSettings) -> str:
    """What the kept themes were computed with: the method's parameters (a changed file or
    threshold makes them out of date like a write does)."""
    return hashlib.sha256(repr(settings).encode()).hexdigest()[:16]


def _compute(store: GraphStore, settings: ThemeSettings, generation: int | None) -> ThemeIndex:
    started = time.perf_counter()
    tasks = store.tasks()
    themes, built = build_matched(tasks, settings, lead_kinds_of(store, tasks))
    return ThemeIndex(themes, settings, round(time.perf_counter() - started, 3), generation, built.encoder)


def theme_index(store: GraphStore, settings: ThemeSettings | None = None, keep: bool = False) -> ThemeIndex:
    """The themes of the store's current plans.

    A store that keeps derived data (``KeepsDerived``: the embedded one) holds the themes with the
    generation they were computed at: they are read from it while it has not been written since,
    else computed from its tasks. ``keep``: save what was computed in the store; the writers do it
    (``plangraph load``, an upload, ``reparse``) right after their write, so that no reader waits,
    and a read never writes. Other stores (Neo4j) compute them on every call; ``themes_for`` keeps
    them per question.
    """
    settings = settings or theme_settings()
    if not isinstance(store, KeepsDerived):
        return _compute(store, settings, None)
    version = settings_version(settings)
    generation = store.generation
    kept = store.load_derived(THEMES_KEPT_AS)
    if kept is not None and kept[0] == generation and kept[1] == version:
        try:
            themes = [Theme.model_validate(t) for t in orjson.loads(kept[2])]
            return ThemeIndex(themes, settings, 0.0, generation)
        except ValueError:  # damaged: computed again (and kept again by the next writer)
            pass
    with _build_lock:  # one build at a time in a process
        index = _compute(store, settings, generation)
        if keep:
            data = orjson.dumps([t.model_dump() for t in index.themes])
            store.save_derived(THEMES_KEPT_AS, generation, version, data)  # not kept if written meanwhile
        return index


_build_lock = threading.Lock()


def themes_for(catalog: NameCatalog) -> ThemeIndex:
    """The theme index a question asked through ``catalog`` uses: read once per store generation."""
    return catalog.derived(("themes", settings_version(theme_settings())), lambda: theme_index(catalog.store))


# --- questions ------------------------------------------------------------------------------


class ThemeSummary(BaseModel):
    """A theme without its member list: how many plans have it and how they word it."""

    id: str
    action_key: str
    label: str
    jurisdictions: int
    titles: list[str] = Field(description="The titles its tasks have, most common first (at most 10)")


class ThemePage(Page[ThemeSummary]):
    theme_threshold: float = Field(description="The score a task needs to join a theme")


MAX_TITLES = 10


def summary(theme: Theme) -> ThemeSummary:
    counts = Counter(m.task_title for m in theme.members)
    titles = [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TITLES]]
    return ThemeSummary(id=theme.id, action_key=theme.action_key, label=theme.label,
                        jurisdictions=theme.jurisdictions, titles=titles)


def list_themes(
    catalog: NameCatalog, action: str | None = None, jurisdiction: str | None = None,
    min_jurisdictions: int = 1, q: str | None = None, limit: int = 50, offset: int = 0,
) -> ThemePage:
    """Themes, most widespread first: of one action key, of one jurisdiction's plan, with words
    in a title, held by at least ``min_jurisdictions`` plans."""
    index = themes_for(catalog)
    themes = index.themes
    if jurisdiction is not None:
        mine = index.themes_of(resolve_jurisdiction(catalog, jurisdiction))
        themes = [t for t in themes if t.id in mine]
    if action is not None:
        themes = [t for t in themes if t.action_key == action]
    if q:
        themes = [t for t in themes if q in t.label or any(q in m.task_title for m in t.members)]
    themes = sorted((t for t in themes if t.jurisdictions >= min_jurisdictions),
                    key=lambda t: (-t.jurisdictions, t.action_key, t.id))
    return ThemePage(total=len(themes), limit=limit, offset=offset,
                     items=[summary(t) for t in themes[offset: offset + limit]],
                     theme_threshold=index.settings.threshold)


def get_theme(catalog: NameCatalog, theme_id: str) -> Theme:
    """One theme with every task linked to it and each link's score; NotFound with the closest ids."""
    index = themes_for(catalog)
    theme = index.by_id.get(theme_id)
    if theme is None:
        raise NotFound("theme", theme_id, suggest(theme_id, list(index.by_id)))
    return explained(catalog.store, index, theme)


def explained(store: GraphStore, index: ThemeIndex, theme: Theme) -> Theme:
    """The theme with each link's evidence: every member compared with the theme's most typical
    task (its best-scoring one). Made on demand (it reads the members' texts), kept per index."""
    with index._explain_lock:
        done = index._explained.get(theme.id)
    if done is not None:
        return done
    rows = {t.id: t for t in store.tasks(ids=[m.task_id for m in theme.members])}
    if len(rows) != len(theme.members):  # the store changed under a stale index: no evidence
        return theme
    kinds = _lead_kinds_of_tasks(store, list(rows))
    texts = {tid: task_text(row, kinds.get(tid, ())) for tid, row in rows.items()}
    typical = max(theme.members, key=lambda m: (m.score, m.task_id)).task_id
    evidence = explain_many([texts[m.task_id] for m in theme.members], texts[typical], index.settings,
                            index.encoder)
    members = [m.model_copy(update={"evidence": LinkEvidence(compared_with=typical, **e.__dict__)})
               for m, e in zip(theme.members, evidence, strict=True)]
    done = theme.model_copy(update={"members": members})
    with index._explain_lock:
        index._explained[theme.id] = done
    return done


def _lead_kinds_of_tasks(store: GraphStore, task_ids: list[str]) -> dict[str, list[str]]:
    rows = store.assignments(task_ids=task_ids, roles=["lead"])
    kinds = {a.id: a.kinds for a in store.agencies(ids=list({r.agency_id for r in rows}))} if rows else {}
    out: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        out[row.task_id].extend(kinds.get(row.agency_id, ()))
    return out
