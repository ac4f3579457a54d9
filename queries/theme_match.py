"""Which tasks of different plans are the same work: the matching method behind themes,
comparisons, overlap and (later) changes between plan generations.

Why this method: plans follow one national outline but reword it freely ("实施乡村振兴科技支撑行动",
"发挥科技支撑乡村振兴作用", "开展科技助力乡村振兴行动"), split one work into several tasks or hide it
behind a title that says little ("大力开展农民教育培训" whose paragraph is 三下乡 outreach). So a
task is compared by what it says, not by its title alone. Each task becomes one weighted vector of
five blocks, each block L2-normalised and scaled by the square root of its weight (the weights sum
to 1), so that the dot product of two tasks is the weighted mean of five cosines:

- ``title``: character 1-2-grams of the title without generic verbs and endings (TF-IDF);
- ``text``: character 2-3-grams of the title and the whole paragraph, without the responsibility
  clause (TF-IDF, sublinear term frequency; Chinese has no word breaks, so characters it is);
- ``phrases``: the known pieces of work of the domain (``graph/data/theme_phrases.yaml``) whose
  phrases the task contains — generic vocabulary of the national outline, never per plan;
- ``action_key``: the action the task sits in;
- ``lead_kinds``: the kinds of the bodies that lead it.

N-grams are hashed (no vocabulary to keep), computed with numpy over the distinct strings of the
whole corpus at once, and the matrices are scipy sparse: the themes of 3,200 plans take about 13
CPU-seconds (``benchmarks/themes.py``), half of it reading every paragraph into vectors.

Themes (:func:`cluster`) grow plan by plan in a fixed order (by plan id): a theme is scored by the
mean similarity to its first ``examples`` members (average linkage, incremental); a plan's tasks
join themes best pair first, one task per theme; a task left over joins a theme that already holds
a task of its plan when it scores at least ``split_threshold`` (the plan split that work); else it
starts a theme. Same action key is only a feature, so a task filed under another action can still
join (丰都县 files 科技资源科普化机制 under infrastructure), but only above the threshold without
the key's share. Plans after the first few are placed in growing batches against themes whose
examples are frozen for the batch, first against the themes of their own action key, then a task
that found none against all. At the end, tasks left alone are placed once more against the grown
themes. :meth:`Themes.add_plan` places one new plan the same way, without redoing the others.

:func:`match_plans` matches the tasks of two plans one-to-one, or one to several when a plan split
the work, with the same scores: what ``compare`` and ``changes`` use.

Example:
    >>> a = [TaskText("a1", "A", "farmers", "实施乡村振兴科技支撑行动", "推广科技小院…")]
    >>> b = [TaskText("b1", "B", "farmers", "发挥科技支撑乡村振兴作用", "推广科技小院…")]
    >>> [(m.a, m.b) for m in match_plans(a, b).pairs]                # doctest: +SKIP
    [('a1', 'b1')]
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import yaml
from scipy import sparse

DATA_PACKAGE = "plangraph.graph"
SETTINGS_FILE = "data/themes.yaml"
PHRASES_FILE = "data/theme_phrases.yaml"
BLOCKS = ("title", "text", "phrases", "action_key", "lead_kinds")
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SPACES = re.compile(r"[\s\u3000\u200b\ufeff]+")

__all__ = [
    "Evidence", "MatchSettings", "PairMatch", "PlanMatch", "TaskText", "Themes", "cluster", "encode",
    "explain", "explain_many", "match_plans", "match_settings", "strip_title",
]


# --- inputs and settings --------------------------------------------------------------------


@dataclass(frozen=True)
class TaskText:
    """What a task says, as plain values: its plan, the action it sits in, its title, its paragraph
    (without the responsibility clause) and the kinds of its lead bodies."""

    id: str
    plan: str
    action_key: str
    title: str
    text: str = ""
    lead_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchSettings:
    """The method's parameters (``graph/data/themes.yaml``) and the domain phrases."""

    version: int
    threshold: float
    split_threshold: float
    weights: tuple[float, ...]  # in BLOCKS order, summing to 1
    examples: int
    hash_bits: int
    first_batch: int
    leading_words: tuple[str, ...]
    trailing_words: tuple[str, ...]
    concepts: tuple[tuple[str, tuple[str, ...]], ...]

    def with_threshold(self, threshold: float) -> MatchSettings:
        """The same method at another threshold (precision/recall curves)."""
        return MatchSettings(**{**self.__dict__, "threshold": float(threshold)})

    def weight(self, block: str) -> float:
        return self.weights[BLOCKS.index(block)]


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(words), key=len, reverse=True))


def _read(name: str) -> dict[str, Any]:
    text = importlib.resources.files(DATA_PACKAGE).joinpath(name).read_text("utf-8")
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict):
        raise ValueError(f"{name}: expected a mapping at the top")
    return raw


@functools.cache
def match_settings() -> MatchSettings:
    """Read and check the settings and the phrase file once per process."""
    raw = _read(SETTINGS_FILE)
    phrases = _read(PHRASES_FILE)
    weights = raw.get("weights") or {}
    missing = [b for b in BLOCKS if b not in weights]
    if missing:
        raise ValueError(f"{SETTINGS_FILE}: weights lacks {', '.join(missing)}")
    total = sum(float(weights[b]) for b in BLOCKS)
    concepts = tuple((str(name), tuple(normalize(p) for p in words))
                     for name, words in (phrases.get("concepts") or {}).items())
    settings = MatchSettings(
        version=int(raw["version"]), threshold=float(raw["threshold"]),
        split_threshold=float(raw["split_threshold"]),
        weights=tuple(float(weights[b]) / total for b in BLOCKS),
        examples=int(raw["examples_per_theme"]), hash_bits=int(raw["hash_bits"]),
        first_batch=int(raw["first_batch"]),
        leading_words=_longest_first(raw["leading_words"]),
        trailing_words=_longest_first(raw["trailing_words"]),
        concepts=concepts,
    )
    if not 0 <= settings.threshold <= 100 or not 0 <= settings.split_threshold <= 100:
        raise ValueError(f"{SETTINGS_FILE}: threshold and split_threshold must be in 0..100")
    if not 8 <= settings.hash_bits <= 24:
        raise ValueError(f"{SETTINGS_FILE}: hash_bits must be in 8..24")
    return settings


# --- normalising ----------------------------------------------------------------------------


@functools.cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """Simplified characters, no spaces."""
    return _t2s().convert(_SPACES.sub("", text))


@functools.lru_cache(maxsize=65536)
def _strip(title: str, leading: tuple[str, ...], trailing: tuple[str, ...]) -> str:
    key = title.rstrip("。；;，,")
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


def strip_title(title: str, settings: MatchSettings | None = None) -> str:
    """The normalised title without generic opening verbs and one generic ending:
    加强科普基地建设 -> 科普基地."""
    settings = settings or match_settings()
    return _strip(normalize(title), settings.leading_words, settings.trailing_words)


# --- vectors --------------------------------------------------------------------------------


def _content_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of all texts in one array, every character that is not a letter of
    content (punctuation, digits, separators) as 0 and a 0 between texts; and each position's
    text index."""
    joined = "\x00".join(texts) + "\x00"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    keep = ((codes >= 0x3400) & ~((codes >= 0x3000) & (codes < 0x3040)) & (codes < 0xFF00)) | (
        (codes >= ord("A")) & (codes <= ord("z")))
    codes = np.where(keep, codes, np.uint32(0))
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    doc = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    return codes, doc


CHUNK = 8192  # texts hashed at once: bounds the temporary arrays (a national corpus has 110,000)


def _hashed_grams(texts: Sequence[str], sizes: Sequence[int], bits: int) -> sparse.csr_matrix:
    """Term counts of the hashed character n-grams of each text (rows: texts), a chunk at a time."""
    if len(texts) <= CHUNK:
        return _hashed_chunk(texts, sizes, bits)
    parts = [_hashed_chunk(texts[i: i + CHUNK], sizes, bits) for i in range(0, len(texts), CHUNK)]
    return sparse.csr_matrix(sparse.vstack(parts, format="csr"))


def _hashed_chunk(texts: Sequence[str], sizes: Sequence[int], bits: int) -> sparse.csr_matrix:
    """Positions come in text order, so each n-gram size gives its rows directly (no coordinate
    sort); the two sizes are then added and each row's duplicates summed."""
    shape = (len(texts), 1 << bits)
    matrix = sparse.csr_matrix(shape, dtype=np.float32)
    if not texts:  # an empty store: no tasks to theme
        return matrix
    codes, doc = _content_codes(texts)
    for n in sizes:
        if len(codes) < n:
            continue
        h = np.full(len(codes) - n + 1, np.uint64(n))
        valid = np.ones(len(h), dtype=bool)
        for k in range(n):
            part = codes[k: len(codes) - n + 1 + k]
            valid &= part != 0
            h = h * np.uint64(1_000_003) + part
        h = (h * _GOLDEN) >> np.uint64(64 - bits)
        owner = doc[: len(h)][valid]
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner, minlength=len(texts)), out=indptr[1:])
        grams = sparse.csr_matrix((np.ones(len(owner), dtype=np.float32), h[valid].astype(np.int32), indptr),
                                  shape=shape)
        matrix = grams if matrix.nnz == 0 else matrix + grams
    matrix.sum_duplicates()
    return matrix


def _normalize_rows(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """Each row scaled to length 1 (rows of zeros stay zeros); duplicates summed first."""
    matrix = sparse.csr_matrix(matrix, dtype=np.float32)
    matrix.sum_duplicates()
    squares = np.zeros(matrix.shape[0], dtype=np.float64)
    filled = np.diff(matrix.indptr) > 0
    if filled.any():
        sums = np.add.reduceat(matrix.data.astype(np.float64) ** 2, matrix.indptr[:-1][filled])
        squares[filled] = sums
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    matrix.data = (matrix.data / np.repeat(norms, np.diff(matrix.indptr))).astype(np.float32)
    return matrix


@dataclass
class Idf:
    """Inverse document frequencies of the hashed n-grams of one block, fitted on a corpus and
    kept, so that a plan added later is weighted like the others."""

    docs: int
    df: np.ndarray

    def weights(self) -> np.ndarray:
        return (np.log((1.0 + self.docs) / (1.0 + self.df)) + 1.0).astype(np.float32)


def _tfidf(counts: sparse.csr_matrix, idf: Idf) -> sparse.csr_matrix:
    """The counts turned into unit TF-IDF rows, in place (the counts are not needed after)."""
    weights = idf.weights()
    counts.data = ((1.0 + np.log(counts.data)) * weights[counts.indices]).astype(np.float32)
    return _normalize_rows(counts)


_CONCEPT_PATTERNS: dict[tuple[tuple[str, tuple[str, ...]], ...], tuple[re.Pattern[str], dict[str, int]]] = {}


def _concept_pattern(settings: MatchSettings) -> tuple[re.Pattern[str], dict[str, int]]:
    cached = _CONCEPT_PATTERNS.get(settings.concepts)
    if cached is None:
        index = {p: i for i, (_, words) in enumerate(settings.concepts) for p in words}
        pattern = re.compile("|".join(re.escape(p) for p in _longest_first(index)) or "(?!)")
        cached = _CONCEPT_PATTERNS[settings.concepts] = (pattern, index)
    return cached


def concepts_in(text: str, settings: MatchSettings) -> list[str]:
    """The known pieces of work whose phrases the (normalised) text contains, in order found."""
    pattern, index = _concept_pattern(settings)
    found = dict.fromkeys(settings.concepts[index[m.group()]][0] for m in pattern.finditer(text))
    return list(found)


@functools.lru_cache(maxsize=4096)
def _phrase_grams(phrase: str, bits: int) -> tuple[int, ...]:
    """The hashed columns of a phrase's n-grams (2-grams for a two-character phrase, else 3-grams)."""
    n = 2 if len(phrase) <= 2 else 3
    return tuple(int(c) for c in np.unique(_hashed_grams([phrase], (n,), bits).indices))


def _concept_block(text_counts: sparse.csr_matrix, settings: MatchSettings) -> sparse.csr_matrix:
    """Which known works each text names: a phrase counts as present when every one of its
    n-grams is (read off the n-gram counts with one product, so the texts are not scanned again;
    two n-grams of a phrase met apart are the rare false hit)."""
    width = max(len(settings.concepts), 1)
    phrases = [(c, _phrase_grams(p, settings.hash_bits)) for c, (_, words) in enumerate(settings.concepts)
               for p in words]
    phrases = [(c, g) for c, g in phrases if g]
    if not phrases:
        return sparse.csr_matrix((text_counts.shape[0], width), dtype=np.float32)
    rows = np.concatenate([np.array(g, dtype=np.int64) for _, g in phrases])
    cols = np.repeat(np.arange(len(phrases)), [len(g) for _, g in phrases])
    grams_of = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                 shape=(text_counts.shape[1], len(phrases)))
    present = text_counts.copy()
    present.data = np.ones_like(present.data)
    found = (present @ grams_of).tocoo()
    needed = np.array([len(g) for _, g in phrases], dtype=np.float32)
    hit = found.data >= needed[found.col] - 0.5
    concept_of = np.array([c for c, _ in phrases])
    block = sparse.csr_matrix((np.ones(int(hit.sum()), dtype=np.float32), (found.row[hit], concept_of[found.col[hit]])),
                              shape=(text_counts.shape[0], width))
    block.data[:] = 1.0
    block.sum_duplicates()
    block.data[:] = 1.0
    return _normalize_rows(block)


def _one_hot(values: Sequence[Iterable[int]], width: int) -> sparse.csr_matrix:
    rows, cols = [], []
    for r, vs in enumerate(values):
        for v in set(vs):
            rows.append(r)
            cols.append(v)
    data = np.ones(len(rows), dtype=np.float32)
    return _normalize_rows(sparse.csr_matrix((data, (rows, cols)), shape=(len(values), max(width, 1))))


@dataclass
class Encoder:
    """Turns tasks into the weighted vectors described above; fitted once on a corpus."""

    settings: MatchSettings
    title_idf: Idf
    text_idf: Idf
    keys: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)

    @classmethod
    def fit(cls, tasks: Sequence[TaskText], settings: MatchSettings) -> tuple[Encoder, sparse.csr_matrix]:
        grams = _Grams.of(tasks, settings)
        encoder = cls(settings, grams.idf(grams.titles, grams.title_of), grams.idf(grams.texts, grams.text_of))
        return encoder, encoder._vectors(tasks, grams)

    def encode(self, tasks: Sequence[TaskText]) -> sparse.csr_matrix:
        """Vectors of tasks not in the fitted corpus (a plan added later), with the kept weights."""
        return self._vectors(tasks, _Grams.of(tasks, self.settings))

    def _slot(self, table: dict[str, int], value: str, slots: int) -> int:
        return table.setdefault(value, len(table)) % slots

    def _vectors(self, tasks: Sequence[TaskText], grams: _Grams) -> sparse.csr_matrix:
        s = self.settings
        concept = _concept_block(grams.texts, s)[grams.text_of]
        key = _one_hot([[self._slot(self.keys, t.action_key, KEY_SLOTS)] for t in tasks], KEY_SLOTS)
        kinds = _one_hot([[self._slot(self.kinds, k, KIND_SLOTS) for k in t.lead_kinds] for t in tasks],
                         KIND_SLOTS)
        title = _take(_tfidf(grams.titles, self.title_idf), grams.title_of)
        text = _take(_tfidf(grams.texts, self.text_idf), grams.text_of)
        scaled = [b * math.sqrt(w) for b, w in zip((title, text, concept, key, kinds), s.weights, strict=True)]
        return sparse.hstack(scaled, format="csr", dtype=np.float32)


KEY_SLOTS = 256
TEXT_GRAMS = (2, 3)
KIND_SLOTS = 1024


@dataclass
class _Grams:
    """The n-gram counts of each distinct title and text (plans repeat the outline's wording, so a
    national corpus has far fewer distinct strings than tasks), and which one each task has."""

    titles: sparse.csr_matrix
    title_of: np.ndarray
    texts: sparse.csr_matrix
    text_of: np.ndarray

    @classmethod
    def of(cls, tasks: Sequence[TaskText], settings: MatchSettings) -> _Grams:
        titles, texts = _strings(tasks, settings)
        title_list, title_of = _distinct(titles)
        text_list, text_of = _distinct(texts)
        return cls(_hashed_grams(title_list, (1, 2), settings.hash_bits), title_of,
                   _hashed_grams(text_list, TEXT_GRAMS, settings.hash_bits), text_of)

    @staticmethod
    def idf(counts: sparse.csr_matrix, owner: np.ndarray) -> Idf:
        """Document frequencies over the tasks (a distinct string counts once per task that has it)."""
        times = np.bincount(owner, minlength=counts.shape[0]).astype(np.float64)
        per_entry = np.repeat(times, np.diff(counts.indptr))
        df = np.bincount(counts.indices, weights=per_entry, minlength=counts.shape[1])
        return Idf(len(owner), df)


def _take(matrix: sparse.csr_matrix, rows: np.ndarray) -> sparse.csr_matrix:
    """The rows of each task (no copy when every task has a string of its own)."""
    if len(rows) == matrix.shape[0] and np.array_equal(rows, np.arange(len(rows))):
        return matrix
    return matrix[rows]


def _distinct(values: Sequence[str]) -> tuple[list[str], np.ndarray]:
    index: dict[str, int] = {}
    owner = np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64, count=len(values))
    return list(index), owner


_SEPARATOR = "\u0001"


def _normalize_many(texts: Sequence[str]) -> list[str]:
    """:func:`normalize` of many texts in one conversion (one call into OpenCC, not thousands)."""
    if not texts:
        return []
    joined = _t2s().convert(_SPACES.sub("", _SEPARATOR.join(texts)))
    out = joined.split(_SEPARATOR)
    return out if len(out) == len(texts) else [normalize(t) for t in texts]


def _strings(tasks: Sequence[TaskText], settings: MatchSettings) -> tuple[list[str], list[str]]:
    titles = _normalize_many([t.title for t in tasks])
    keys = [_strip(t, settings.leading_words, settings.trailing_words) for t in titles]
    texts = _normalize_many([f"{t.title}。{t.text}" for t in tasks])
    return keys, texts


def encode(tasks: Sequence[TaskText], settings: MatchSettings | None = None) -> tuple[Encoder, sparse.csr_matrix]:
    """Fit the weights on these tasks and return their vectors (rows in input order)."""
    return Encoder.fit(tasks, settings or match_settings())


def _block_ranges(encoder: Encoder) -> list[tuple[str, int, int]]:
    bits = 1 << encoder.settings.hash_bits
    widths = [bits, bits, max(len(encoder.settings.concepts), 1), KEY_SLOTS, KIND_SLOTS]
    out, start = [], 0
    for name, width in zip(BLOCKS, widths, strict=True):
        out.append((name, start, start + width))
        start += width
    return out


# --- evidence -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Why two tasks (or a task and a theme) were matched: the score, each block's share of it
    (0..100, summing to the score), the phrases both texts contain and the known works both name."""

    score: float
    parts: dict[str, float]
    phrases: list[str]
    concepts: list[str]
    same_action_key: bool
    shared_lead_kinds: list[str]


MIN_PHRASE = 3
MAX_PHRASES = 8
_NOT_CONTENT = re.compile(r"[^\u3400-\u9fffA-Za-z]+")


def shared_phrases(a: str, b: str, limit: int = MAX_PHRASES) -> list[str]:
    """Stretches of text (at least three characters, not across punctuation) that both texts
    contain, longest first: the runs of ``b`` whose every 3-gram occurs in ``a``, kept when the
    whole run does (linear time, so a theme of thousands of members is explained at once)."""
    grams = {a[i: i + MIN_PHRASE] for i in range(len(a) - MIN_PHRASE + 1)}
    found: dict[str, None] = {}
    for piece in _NOT_CONTENT.split(b):
        i = 0
        while i <= len(piece) - MIN_PHRASE:
            if piece[i: i + MIN_PHRASE] not in grams:
                i += 1
                continue
            j = i
            while j + MIN_PHRASE < len(piece) + 1 and piece[j: j + MIN_PHRASE] in grams:
                j += 1
            run = piece[i: j + MIN_PHRASE - 1]
            while len(run) >= MIN_PHRASE and run not in a:
                run = run[:-1]
            if len(run) >= MIN_PHRASE:
                found.setdefault(run, None)
            i = max(j, i + 1)
    longest = sorted(found, key=lambda p: (-len(p), p))
    kept: list[str] = []
    for phrase in longest:
        if not any(phrase in k for k in kept):
            kept.append(phrase)
        if len(kept) >= limit:
            break
    return kept


def explain_many(tasks: Sequence[TaskText], other: TaskText, settings: MatchSettings | None = None,
                 encoder: Encoder | None = None) -> list[Evidence]:
    """The evidence for matching each task with ``other`` (a theme's most typical task): the
    score, each block's share, shared phrases and named works. On demand: it reads the texts again."""
    settings = settings or match_settings()
    everything = [*tasks, other]
    if encoder is None:
        encoder, vectors = Encoder.fit(everything, settings)
    else:
        vectors = encoder.encode(everything)
    last = vectors[len(tasks)]
    parts = {name: 100 * np.asarray(vectors[: len(tasks), lo:hi].multiply(last[:, lo:hi]).sum(axis=1)).ravel()
             for name, lo, hi in _block_ranges(encoder)}
    _, texts = _strings(everything, settings)
    theirs = set(concepts_in(texts[-1], settings))
    out = []
    for i, task in enumerate(tasks):
        share = {name: round(float(v[i]), 1) for name, v in parts.items()}
        out.append(Evidence(
            score=round(sum(float(v[i]) for v in parts.values()), 1), parts=share,
            phrases=shared_phrases(texts[-1], texts[i]),
            concepts=[c for c in concepts_in(texts[i], settings) if c in theirs],
            same_action_key=task.action_key == other.action_key,
            shared_lead_kinds=sorted(set(task.lead_kinds) & set(other.lead_kinds))))
    return out


def explain(a: TaskText, b: TaskText, settings: MatchSettings | None = None,
            encoder: Encoder | None = None) -> Evidence:
    """The evidence for matching two tasks."""
    return explain_many([a], b, settings, encoder)[0]


# --- themes ---------------------------------------------------------------------------------


@dataclass
class Theme:
    """A set of tasks that are the same work: member rows (into the vectors), their plans, and
    the rows of its first members (its examples), whose mean vector scores newcomers."""

    members: list[int] = field(default_factory=list)
    plans: dict[str, int] = field(default_factory=dict)  # plan -> members of that plan
    examples: list[int] = field(default_factory=list)
    joined: list[float | None] = field(default_factory=list)  # score when each member joined
    split: list[bool] = field(default_factory=list)  # joined as a further task of its plan


class Themes:
    """Themes being built over a growing set of tasks; :meth:`add_plan` places one more plan."""

    def __init__(self, encoder: Encoder, vectors: sparse.csr_matrix, tasks: list[TaskText],
                 settings: MatchSettings) -> None:
        self.encoder = encoder
        self.settings = settings
        self.tasks = tasks
        self.vectors = vectors
        self.themes: list[Theme] = []
        self.theme_of: list[int] = [-1] * len(tasks)

    # -- scoring --

    def _centroids(self) -> sparse.csr_matrix:
        """One row per theme: the mean vector of its examples."""
        rows = [r for t in self.themes for r in t.examples]
        owner = np.repeat(np.arange(len(self.themes)), [len(t.examples) for t in self.themes])
        if not rows:
            return sparse.csr_matrix((0, self.vectors.shape[1]), dtype=np.float32)
        weights = np.concatenate([np.full(len(t.examples), 1.0 / len(t.examples)) for t in self.themes])
        pick = sparse.csr_matrix((weights.astype(np.float32), (owner, np.arange(len(rows)))),
                                 shape=(len(self.themes), len(rows)))
        return sparse.csr_matrix(pick @ self.vectors[rows])

    def _scores(self, rows: Sequence[int], centroids: sparse.csr_matrix, own_key: bool = False) -> np.ndarray:
        """Scores (0..100) of the rows against the themes. ``own_key``: only against themes that
        hold a task of the row's action key (the others get -1), which is what makes a national
        build fast; a task that finds nothing there is scored against every theme afterwards."""
        if centroids.shape[0] == 0:
            return np.zeros((len(rows), 0), dtype=np.float32)
        if not own_key:
            return 100 * (self.vectors[list(rows)] @ centroids.T).toarray()
        out = np.full((len(rows), centroids.shape[0]), -1.0, dtype=np.float32)
        by_key: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            by_key.setdefault(self.tasks[row].action_key, []).append(i)
        holders: dict[str, list[int]] = {}
        for t, theme in enumerate(self.themes):
            for key in {self.tasks[e].action_key for e in theme.examples}:
                holders.setdefault(key, []).append(t)
        for key, idx in by_key.items():
            themes = holders.get(key)
            if not themes:
                continue
            part = 100 * (self.vectors[[rows[i] for i in idx]] @ centroids[themes].T).toarray()
            out[np.ix_(idx, themes)] = part
        return out

    # -- placing --

    def _new_theme(self, row: int) -> int:
        theme = Theme()
        self.themes.append(theme)
        self._join(len(self.themes) - 1, row, None, split=False)
        return len(self.themes) - 1

    def _join(self, t: int, row: int, score: float | None, split: bool) -> None:
        theme = self.themes[t]
        plan = self.tasks[row].plan
        theme.members.append(row)
        theme.plans[plan] = theme.plans.get(plan, 0) + 1
        theme.joined.append(score)
        theme.split.append(split)
        self.theme_of[row] = t
        if len(theme.examples) < self.settings.examples:
            theme.examples.append(row)

    def _place_plan(self, rows: Sequence[int], scores: np.ndarray) -> list[int]:
        """Join one plan's tasks to themes (best pairs first, one task per theme, then splits);
        return the rows left over."""
        s = self.settings
        if scores.shape[1] == 0:
            return list(rows)
        chosen: dict[int, tuple[int, float]] = {}
        plan = self.tasks[rows[0]].plan
        taken = {t for t, theme in enumerate(self.themes) if plan in theme.plans}  # only splits there
        cand_i, cand_t = np.nonzero(scores >= s.threshold)
        cand = scores[cand_i, cand_t]
        for k in np.lexsort((cand_t, cand_i, -cand)):  # best first; ties by task, then theme
            i, t = int(cand_i[k]), int(cand_t[k])
            if i in chosen or t in taken:
                continue
            chosen[i] = (t, float(cand[k]))
            taken.add(t)
        left = []
        for i, row in enumerate(rows):
            if i in chosen:
                t, score = chosen[i]
                self._join(t, row, score, split=False)
                continue
            t = int(np.argmax(scores[i]))
            score = float(scores[i, t])
            if t in taken and score >= s.split_threshold:
                self._join(t, row, score, split=True)
            else:
                left.append(row)
        return left

    def _place_one_by_one(self, rows: Sequence[int]) -> None:
        """Rows of one plan that found no theme in their batch: against every theme as it is now
        (themes made by the batch's other plans included); else a new theme each."""
        if not rows:
            return
        left = self._place_plan(rows, self._scores(rows, self._centroids()))
        for row in left:
            self._new_theme(row)

    def add_rows(self, rows: Sequence[int]) -> None:
        """Place the given rows (tasks of several plans, in plan order) as one batch: scored
        against the themes as they are before the batch, then plan by plan."""
        by_plan: dict[str, list[int]] = {}
        for row in rows:
            by_plan.setdefault(self.tasks[row].plan, []).append(row)
        centroids = self._centroids()
        scores = self._scores(rows, centroids, own_key=True)
        position = {row: i for i, row in enumerate(rows)}
        leftovers: list[list[int]] = []
        for plan_rows in by_plan.values():
            plan_scores = scores[[position[r] for r in plan_rows]]
            leftovers.append(self._place_plan(plan_rows, plan_scores))
        for left in leftovers:
            self._place_one_by_one(left)

    def add_plan(self, tasks: Sequence[TaskText]) -> list[int]:
        """Place one more plan's tasks into the existing themes (or new ones) without redoing the
        others; returns the theme index of each task."""
        vectors = self.encoder.encode(tasks)
        start = len(self.tasks)
        self.tasks.extend(tasks)
        self.theme_of.extend([-1] * len(tasks))
        self.vectors = sparse.vstack([self.vectors, vectors], format="csr")
        rows = list(range(start, start + len(tasks)))
        self.add_rows(rows)
        return [self.theme_of[r] for r in rows]

    def place_singletons(self) -> None:
        """Tasks left alone in a theme, placed again against the finished themes: a task met a
        theme while it held only a plan or two (or none of its wording); the theme that has grown
        since may now take it, as a plan's first task of that work (``threshold``) or as a further
        one (``split_threshold``). One pass, against the themes as they are before it."""
        s = self.settings
        alone = [i for i, t in enumerate(self.themes) if len(t.members) == 1]
        if not alone or len(self.themes) < 2:
            return
        rows = [self.themes[i].members[0] for i in alone]
        scores = self._scores(rows, self._centroids())
        moves = []
        for k, (t, row) in enumerate(zip(alone, rows, strict=True)):
            scores[k, t] = -1.0
            best = int(np.argmax(scores[k]))
            score = float(scores[k, best])
            split = self.tasks[row].plan in self.themes[best].plans
            if len(self.themes[best].members) > 1 and score >= (s.split_threshold if split else s.threshold):
                moves.append((score, t, best, row, split))
        for score, t, best, row, _ in sorted(moves, key=lambda m: (-m[0], m[1])):
            if len(self.themes[t].members) != 1 or len(self.themes[best].members) == 0:
                continue
            split = self.tasks[row].plan in self.themes[best].plans  # another move may have made it one
            if split and score < s.split_threshold:
                continue
            self.themes[t] = Theme()
            self._join(best, row, score, split=split)
        kept = [i for i, t in enumerate(self.themes) if t.members]
        renumber = {old: new for new, old in enumerate(kept)}
        self.themes = [self.themes[i] for i in kept]
        self.theme_of = [renumber.get(t, -1) for t in self.theme_of]

    # -- scores at the end --

    def member_scores(self, t: int) -> list[float]:
        """Each member's score: the mean against the theme's examples other than itself (100 alone)."""
        theme = self.themes[t]
        ex = set(theme.examples)
        total = sparse.csr_matrix(self.vectors[theme.examples].sum(axis=0))
        members = self.vectors[theme.members]
        with_all = np.asarray((members @ total.T).todense()).ravel()
        own = np.asarray(members.multiply(members).sum(axis=1)).ravel()
        out = []
        for i, row in enumerate(theme.members):
            others = len(ex) - (row in ex)
            sim = with_all[i] - (own[i] if row in ex else 0.0)
            out.append(round(100 * float(sim) / others, 1) if others else 100.0)
        return out


def cluster(tasks: Sequence[TaskText], settings: MatchSettings | None = None) -> Themes:
    """Themes of all the tasks: plans in plan-id order, the first ``first_batch`` one by one, then
    in batches that double in size (each scored against the themes as they were before it)."""
    settings = settings or match_settings()
    ordered = sorted(range(len(tasks)), key=lambda i: (tasks[i].plan, i))
    items = [tasks[i] for i in ordered]
    encoder, vectors = Encoder.fit(items, settings)
    themes = Themes(encoder, vectors, items, settings)
    plans: list[list[int]] = []
    for row, task in enumerate(items):
        if not plans or items[plans[-1][0]].plan != task.plan:
            plans.append([])
        plans[-1].append(row)
    done, size = 0, 1
    while done < len(plans):
        take = 1 if done < settings.first_batch else size
        batch = plans[done: done + take]
        themes.add_rows([r for plan in batch for r in plan])
        done += take
        if done >= settings.first_batch:
            size *= 2
    themes.place_singletons()
    return themes


# --- two plans ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairMatch:
    """Task ``a`` of the first plan matched with task ``b`` of the second, with its score;
    ``split`` when one side already had its partner (the plan split or folded the work)."""

    a: str
    b: str
    score: float
    split: bool = False


@dataclass(frozen=True)
class PlanMatch:
    pairs: list[PairMatch]
    only_a: list[str]
    only_b: list[str]


def match_plans(a: Sequence[TaskText], b: Sequence[TaskText], settings: MatchSettings | None = None,
                encoder: Encoder | None = None) -> PlanMatch:
    """Match the tasks of two plans: best pairs first one-to-one at the threshold, then a task
    left over joins its best partner at ``split_threshold`` (one task split into several)."""
    settings = settings or match_settings()
    if encoder is None:
        encoder, vectors = Encoder.fit([*a, *b], settings)
    else:
        vectors = encoder.encode([*a, *b])
    scores = 100 * (vectors[: len(a)] @ vectors[len(a):].T).toarray()
    pairs: list[PairMatch] = []
    used_a: set[int] = set()
    used_b: set[int] = set()
    for flat in np.argsort(-scores, axis=None, kind="stable") if scores.size else []:
        i, j = divmod(int(flat), scores.shape[1])
        if scores[i, j] < settings.threshold:
            break
        if i not in used_a and j not in used_b:
            pairs.append(PairMatch(a[i].id, b[j].id, round(float(scores[i, j]), 1)))
            used_a.add(i)
            used_b.add(j)
    for i in range(len(a)):
        if i not in used_a and scores.shape[1]:
            j = int(np.argmax(scores[i]))
            if scores[i, j] >= settings.split_threshold and j in used_b:
                pairs.append(PairMatch(a[i].id, b[j].id, round(float(scores[i, j]), 1), split=True))
                used_a.add(i)
    for j in range(len(b)):
        if j not in used_b and scores.shape[0]:
            i = int(np.argmax(scores[:, j]))
            if scores[i, j] >= settings.split_threshold and i in used_a:
                pairs.append(PairMatch(a[i].id, b[j].id, round(float(scores[i, j]), 1), split=True))
                used_b.add(j)
    return PlanMatch(pairs=pairs, only_a=[a[i].id for i in range(len(a)) if i not in used_a],
                     only_b=[b[j].id for j in range(len(b)) if j not in used_b])
