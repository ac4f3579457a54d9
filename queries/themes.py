"""Task themes: tasks of different plans that are the same work, linked to one theme with a score.

Why: a researcher asks "who leads 智慧助老 in each county?", but each plan words the task its own
way ("实施智慧助老行动", "开展智慧助老行动", "实施智慧助老科普行动"). Themes line such tasks up, by a
method that needs no list of known tasks, so it works on plans never seen before:

- tasks are compared only within one action key (``graph/data/action_keys.yaml``): the same
  words under "elderly" and under "youth" are different work;
- a pair's score (0..100) mixes the character similarity (rapidfuzz ``fuzz.ratio``; Chinese has no
  word breaks, so token scorers are useless) of the titles, without generic verbs such as 实施/加强,
  and of the opening of the task's text: ``w * ratio(titles) + (1 - w) * ratio(texts)``;
- plans are taken in a fixed order (by plan id); each task of a plan joins the best-scoring theme
  at or above the threshold that holds no task of its plan yet (best pairs first), or starts a theme.
  A theme therefore holds at most one task per plan. Each link carries its score: the task's best
  score against the theme's first few other tasks (its examples); 100 for a theme of one task.

The parameters live in ``graph/data/themes.yaml``; the threshold was chosen on the seeds against
hand labels (``docs/themes.md``). The themes are computed from ``store.tasks()``; the writers keep
them in the embedded store with the store generation they were computed at (``theme_index``), so
both stores answer alike and an upload is seen on the next question.

Example:
    >>> index = theme_index(store)                                  # doctest: +SKIP
    >>> index.theme_of("丰都县:t4.1").label                          # doctest: +SKIP
    '实施智慧助老行动'
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
import yaml
from pydantic import BaseModel, Field
from rapidfuzz import fuzz, process

from plangraph.graph.heap import no_gc
from plangraph.graph.kinds import normalize_text
from plangraph.graph.rows import TaskRow
from plangraph.graph.store import GraphStore, KeepsDerived

from .errors import NotFound
from .names import NameCatalog, resolve_jurisdiction, suggest
from .results import Page

_SPACES = re.compile(r"[\s\u3000\u200b\ufeff]+")
DATA_PACKAGE = "plangraph.graph"
DATA_FILE = "data/themes.yaml"
FOUNDER_SCORE = 100.0
MAX_LABEL_CANDIDATES = 20
SAME_TITLE_KEPT = 2  # tasks kept per distinct title of a theme, so a task meets another of its title

__all__ = [
    "LeadAgency", "LeadBasis", "SharedTheme", "Theme", "ThemeIndex", "ThemeLink", "ThemeSettings", "ThemeSide",
    "ThemePage", "ThemeSummary", "build_themes", "get_theme", "jaccard", "list_themes", "settings_version",
    "theme_index", "theme_settings", "themes_for", "title_key",
]


# --- settings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeSettings:
    """The method's parameters, as read from ``graph/data/themes.yaml``."""

    version: int
    threshold: float
    title_weight: float
    text_chars: int
    examples_per_theme: int
    candidates: int
    leading_words: tuple[str, ...]
    trailing_words: tuple[str, ...]

    def with_threshold(self, threshold: float) -> ThemeSettings:
        """The same method at another threshold (to measure precision and recall)."""
        return ThemeSettings(**{**self.__dict__, "threshold": float(threshold)})


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


@functools.cache
def theme_settings() -> ThemeSettings:
    """Read and check ``data/themes.yaml`` once per process."""
    text = importlib.resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text("utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    settings = ThemeSettings(
        version=int(raw["version"]), threshold=float(raw["threshold"]),
        title_weight=float(raw["title_weight"]), text_chars=int(raw["text_chars"]),
        examples_per_theme=int(raw["examples_per_theme"]), candidates=int(raw["candidates"]),
        leading_words=_longest_first(raw["leading_words"]),
        trailing_words=_longest_first(raw["trailing_words"]),
    )
    if not 0 <= settings.title_weight <= 1 or not 0 <= settings.threshold <= 100:
        raise ValueError(f"{DATA_FILE}: title_weight must be in 0..1 and threshold in 0..100")
    return settings


# --- what a task is compared by ---------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _title_key(title: str, leading: tuple[str, ...], trailing: tuple[str, ...]) -> str:
    key = normalize_text(title).rstrip("。；;，,")
    changed = True
    while changed:
        changed = False
        for word in leading:
            if key.startswith(word) and len(key) - len(word) >= 2:
                key, changed = key[len(word):], True
    for word in trailing:
        if key.endswith(word) and len(key) - len(word) >= 2:
            return key[: -len(word)]
    return key


def title_key(title: str, settings: ThemeSettings | None = None) -> str:
    """The title without generic opening verbs and one generic ending: 加强科普基地建设 -> 科普基地."""
    settings = settings or theme_settings()
    return _title_key(title, settings.leading_words, settings.trailing_words)


@functools.cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def text_opening(task: TaskRow, settings: ThemeSettings) -> str:
    """The first characters of the task's text after its title, without its clause, in
    simplified characters and without spaces."""
    text = task.text
    if task.clause:
        text = text.replace(task.clause, "")
    _, sep, body = text.partition("。")
    # dropping spaces shortens the text, so cut with a margin first
    body = _SPACES.sub("", body[: settings.text_chars * 2] if sep else "")
    return _t2s().convert(body)[: settings.text_chars]


@dataclass(frozen=True, eq=False)
class _Probe:
    """A task as it is compared: its title key and the opening of its text."""

    task: TaskRow
    title: str
    text: str


def _probe(task: TaskRow, settings: ThemeSettings) -> _Probe:
    return _Probe(task, title_key(task.title, settings), text_opening(task, settings))


def pair_score(a_title: str, a_text: str, b_title: str, b_text: str, settings: ThemeSettings) -> float:
    """The score of two tasks (0..100); on titles alone when either has no text."""
    title = fuzz.ratio(a_title, b_title)
    if not a_text or not b_text:
        return title
    w = settings.title_weight
    return w * title + (1 - w) * fuzz.ratio(a_text, b_text)


# --- answers --------------------------------------------------------------------------------


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
    score: float = Field(description="Best score (0..100) against the theme's first tasks other than "
                                      "itself; 100 when the theme has no other task")


class Theme(BaseModel):
    """Tasks of different plans that are the same work (at most one task per plan)."""

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


# --- clustering -----------------------------------------------------------------------------


@dataclass
class _Member:
    """A task in a theme: its score when it joined, and how many examples it was compared with."""

    probe: _Probe
    score: float | None
    compared: int


@dataclass
class _Cluster:
    """A theme being built: its members, the first two tasks of each distinct title, and its
    examples (the first task of each of its first few distinct titles)."""

    key: str
    members: list[_Member] = field(default_factory=list)
    plans: set[str] = field(default_factory=set)
    by_title: dict[str, list[_Probe]] = field(default_factory=dict)
    examples: list[_Probe] = field(default_factory=list)

    def add(self, probe: _Probe, score: float | None, settings: ThemeSettings) -> bool:
        """Add a member; True when its title is new to the theme (it may then become an example)."""
        self.members.append(_Member(probe, score, len(self.examples)))
        self.plans.add(probe.task.plan_id)
        same = self.by_title.get(probe.title)
        if same is not None:
            if len(same) < SAME_TITLE_KEPT:
                same.append(probe)
            return False
        self.by_title[probe.title] = [probe]
        if len(self.examples) < settings.examples_per_theme:
            self.examples.append(probe)
        return True

    def score(self, probe: _Probe, settings: ThemeSettings, start: int = 0) -> float | None:
        """The best score of the probe against the examples (from ``start`` on) and the theme's
        first tasks of the same title, never against itself; None when there is none."""
        others = [*self.examples[start:], *self.by_title.get(probe.title, ())]
        return _best(probe, others, settings)

    def final_score(self, member: _Member, settings: ThemeSettings) -> float:
        """The member's score, also against the tasks added after it joined."""
        later = self.score(member.probe, settings, start=member.compared)
        found = [s for s in (member.score, later) if s is not None]
        return round(max(found), 1) if found else FOUNDER_SCORE


def _best(probe: _Probe, others: Iterable[_Probe], settings: ThemeSettings) -> float | None:
    scores = [pair_score(probe.title, probe.text, e.title, e.text, settings)
              for e in dict.fromkeys(others) if e.task.id != probe.task.id]
    return max(scores) if scores else None


@dataclass
class _KeyClusters:
    """The themes of one action key, with flat lists of their examples for rapidfuzz look-ups and
    every distinct title for exact matches."""

    clusters: list[_Cluster] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)
    exact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def remember(self, index: int, probe: _Probe) -> None:
        """Index a title new to theme ``index`` (and the probe, when it became an example)."""
        self.exact[probe.title].append(index)
        if self.clusters[index].examples[-1] is probe:
            self.titles.append(probe.title)
            self.texts.append(probe.text)
            self.owner.append(index)


def _nearby(probe: _Probe, kc: _KeyClusters, settings: ThemeSettings) -> set[int]:
    """Themes worth scoring: those with a task of the very same title key, else those whose
    examples are among the best title or text matches."""
    exact = {t for t in kc.exact.get(probe.title, ()) if probe.task.plan_id not in kc.clusters[t].plans}
    if exact:
        return exact
    found: set[int] = set()
    limit = settings.candidates
    for _, _, i in process.extract(probe.title, kc.titles, scorer=fuzz.ratio, limit=limit):
        found.add(kc.owner[i])
    if probe.text:
        for _, _, i in process.extract(probe.text, kc.texts, scorer=fuzz.ratio, limit=limit):
            found.add(kc.owner[i])
    return found


def _candidates(
    probes: Sequence[_Probe], kc: _KeyClusters, settings: ThemeSettings
) -> list[tuple[float, int, int]]:
    """(score, probe index, theme index) of every pair at or above the threshold, best first."""
    found = []
    for p, probe in enumerate(probes):
        for t in _nearby(probe, kc, settings):
            if probe.task.plan_id in kc.clusters[t].plans:
                continue
            score = kc.clusters[t].score(probe, settings)
            if score is not None and score >= settings.threshold:
                found.append((score, p, t))
    found.sort(key=lambda c: (-c[0], c[1], c[2]))
    return found


def _place(probes: Sequence[_Probe], kc: _KeyClusters, settings: ThemeSettings) -> None:
    """Put one plan's tasks of one action key into themes: best pairs first, one task per theme."""
    chosen: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    for score, p, t in _candidates(probes, kc, settings):
        if p not in chosen and t not in taken:
            chosen[p] = (t, score)
            taken.add(t)
    for p, probe in enumerate(probes):
        t, score = chosen.get(p, (-1, None))
        if t < 0:
            kc.clusters.append(_Cluster(probe.task.action_key))
            t = len(kc.clusters) - 1
        if kc.clusters[t].add(probe, score, settings):
            kc.remember(t, probe)


def _by_plan_and_key(tasks: Iterable[TaskRow]) -> dict[str, dict[str, list[TaskRow]]]:
    grouped: dict[str, dict[str, list[TaskRow]]] = defaultdict(lambda: defaultdict(list))
    for task in tasks:
        grouped[task.plan_id][task.action_key].append(task)
    return grouped


def _label(cluster: _Cluster, settings: ThemeSettings) -> str:
    """The most common title; among equally common ones, the one closest to the others."""
    counts = Counter(m.probe.task.title for m in cluster.members)
    top = max(counts.values())
    tied = [title for title in counts if counts[title] == top][:MAX_LABEL_CANDIDATES]
    keys = {title: title_key(title, settings) for title in tied}

    def closeness(title: str) -> tuple[float, int, str]:
        return (-sum(fuzz.ratio(keys[title], keys[o]) for o in tied if o != title), len(title), title)

    return min(tied, key=closeness)


def _link(theme_id: str, task: TaskRow, score: float) -> ThemeLink:
    return ThemeLink(theme_id=theme_id, task_id=task.id, task_title=task.title, jurisdiction=task.jurisdiction,
                     plan_id=task.plan_id, action_id=task.action_id, action_key=task.action_key,
                     action_title=task.action_title, score=score)


def _finish(clusters: Iterable[_Cluster], settings: ThemeSettings) -> list[Theme]:
    """Themes with ids, labels, and each member's score against the theme's other examples."""
    themes: list[Theme] = []
    used: Counter[str] = Counter()
    for cluster in clusters:
        label = _label(cluster, settings)
        base = f"{cluster.key}:{label}"
        used[base] += 1
        theme_id = base if used[base] == 1 else f"{base}~{used[base]}"
        members = [_link(theme_id, m.probe.task, cluster.final_score(m, settings))
                   for m in sorted(cluster.members, key=lambda m: (m.probe.task.jurisdiction, m.probe.task.id))]
        themes.append(Theme(id=theme_id, action_key=cluster.key, label=label,
                            jurisdictions=len(cluster.plans), members=members))
    return themes


def build_themes(tasks: Iterable[TaskRow], settings: ThemeSettings | None = None) -> list[Theme]:
    """Themes of the given tasks (all plans), in action-key order, then by first appearance."""
    settings = settings or theme_settings()
    keys: dict[str, _KeyClusters] = defaultdict(_KeyClusters)
    grouped = _by_plan_and_key(tasks)
    with no_gc():
        for plan_id in sorted(grouped):
            for key in sorted(grouped[plan_id]):
                ordered = sorted(grouped[plan_id][key], key=lambda t: (t.action_seq, t.seq, t.id))
                _place([_probe(t, settings) for t in ordered], keys[key], settings)
        return _finish((c for key in sorted(keys) for c in keys[key].clusters), settings)


# --- the index, kept in the store ----------------------------------------------------------

THEMES_KEPT_AS = "themes"


class ThemeIndex:
    """All themes of a store state, with look-ups by id, task and jurisdiction."""

    def __init__(self, themes: list[Theme], settings: ThemeSettings, seconds: float = 0.0,
                 generation: int | None = None) -> None:
        self.themes = themes
        self.settings = settings
        self.seconds = seconds
        self.generation = generation  # the store generation the themes were computed at, if it counts
        self.by_id: dict[str, Theme] = {t.id: t for t in themes}
        self.link_of_task: dict[str, ThemeLink] = {m.task_id: m for t in themes for m in t.members}
        self.by_jurisdiction: dict[str, dict[str, ThemeLink]] = defaultdict(dict)
        for theme in themes:
            for m in theme.members:
                self.by_jurisdiction[m.jurisdiction][theme.id] = m

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
    themes = build_themes(store.tasks(), settings)
    return ThemeIndex(themes, settings, round(time.perf_counter() - started, 3), generation)


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
    return theme
