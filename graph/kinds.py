"""Agency kinds: what kind of body an agency name means, so agencies line up across plans.

Each plan names its bodies its own way: 县教委 (丰都), 县教育局 (沁源, 正宁), 县教体局 (万年) and
市教育局 (忻州) are all the education authority, and merged bodies such as 县发改和科技局 or 县卫体局
hold two kinds at once. Comparing counties needs one vocabulary of kinds, so this module maps a
name to kind keys using the curated, versioned table ``data/agency_kinds.yaml``.

All wording lives in that file (kinds, stems, prefix characters, branch suffixes, guessing
keywords); this module only knows the procedure:

1. normalise the name (traditional -> simplified, spaces, half-width brackets, trailing 等/负责人);
2. strip the jurisdiction prefix (县科协 -> 科协, 丰都县科协 -> 科协, 团县委 -> 团委,
   县委宣传部 -> 宣传部, 市生态环境局沁源分局 -> 生态环境局 with branch 沁源), trying the least
   stripped form first so that 市场监管局 is not read as 市 + 场监管局;
3. look the stem up in the table (kinds, merged bodies, curated group patterns): ``guessed=False``;
4. otherwise guess from the name's parts (a merged name split on 和/及, keywords such as 卫生 or
   科技, or the one-character abbreviations merged names are built from): ``guessed=True``;
5. otherwise ``kinds=["unknown"]``, ``guessed=True``.

Example:
    >>> classify("县教体局").kinds
    ['education', 'sports']
    >>> classify("市生态环境局沁源分局").branch
    '沁源'
    >>> classify("县宇宙探索局").guessed
    True
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml

DATA_PACKAGE = "plangraph.graph"
DATA_FILE = "data/agency_kinds.yaml"
UNKNOWN = "unknown"

_SPACES = re.compile(r"[\s\u3000\u200b\ufeff]+")
_BRACKETS = str.maketrans({"(": "（", ")": "）"})


# --- public types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of body, as listed in the table."""

    key: str
    label: str
    label_en: str
    group: bool = False


@dataclass(frozen=True)
class KindResult:
    """What :func:`classify` read from one name.

    ``stem`` is the name without its jurisdiction prefix (and without a branch part);
    ``guessed`` is True when the stem is not in the table and the kinds were inferred;
    ``branch`` is the place of a branch office (市生态环境局沁源分局 -> 沁源), else None.
    """

    name: str
    stem: str
    kinds: list[str]
    guessed: bool
    branch: str | None = None

    @property
    def is_group(self) -> bool:
        """True when the name is a group reference (各成员单位, 县级各部门, 各乡镇（街道）)."""
        return bool(self.kinds) and all(k in _data().group_keys for k in self.kinds)

    @property
    def is_unknown(self) -> bool:
        return self.kinds == [UNKNOWN]


@dataclass(frozen=True)
class PrefixRules:
    """How prefixes, branches and noise are recognised (the ``prefix:`` section of the table)."""

    levels: tuple[str, ...]
    party_marker: str
    infix_heads: tuple[str, ...]
    protected: tuple[str, ...]
    place_name_lengths: tuple[int, ...]
    branch_suffixes: tuple[str, ...]
    organ_suffixes: tuple[str, ...]
    noise_suffixes: tuple[str, ...]
    conjunctions: tuple[str, ...]


@dataclass(frozen=True)
class KindTable:
    """The loaded table: kinds in file order and the lookups built from them."""

    version: int
    updated: str
    kinds: tuple[Kind, ...]
    index: dict[str, tuple[str, ...]]
    group_prefixes: tuple[tuple[str, str], ...]
    group_suffixes: tuple[tuple[str, str], ...]
    keywords: tuple[tuple[str, str], ...]
    abbrevs: tuple[tuple[str, str], ...]
    rules: PrefixRules

    @functools.cached_property
    def group_keys(self) -> frozenset[str]:
        return frozenset(k.key for k in self.kinds if k.group)


@dataclass(frozen=True)
class ParsedName:
    """A name split into its lookup stem and branch place; ``known`` when the table has the stem."""

    stem: str
    branch: str | None
    known: bool


# --- loading --------------------------------------------------------------------------------


def _longest_first(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(items), key=len, reverse=True))


def _parse_rules(raw: dict[str, Any]) -> PrefixRules:
    return PrefixRules(
        levels=_longest_first(raw["levels"]),
        party_marker=raw["party_marker"],
        infix_heads=_longest_first(raw["infix_heads"]),
        protected=tuple(raw["protected"]),
        place_name_lengths=tuple(raw["place_name_lengths"]),
        branch_suffixes=_longest_first(raw["branch_suffixes"]),
        organ_suffixes=_longest_first(raw["organ_suffixes"]),
        noise_suffixes=_longest_first(raw["noise_suffixes"]),
        conjunctions=tuple(raw["conjunctions"]),
    )


def _add_stem(index: dict[str, tuple[str, ...]], stem: str, kinds: tuple[str, ...]) -> None:
    if stem in index:
        raise ValueError(f"{DATA_FILE}: stem {stem!r} is listed twice")
    index[stem] = kinds


def _patterns(entries: list[dict[str, Any]], field: str) -> tuple[tuple[str, str], ...]:
    pairs = [(p, e["key"]) for e in entries for p in e.get(field) or []]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


def _build_table(raw: dict[str, Any]) -> KindTable:
    entries: list[dict[str, Any]] = raw["kinds"]
    kinds = tuple(
        Kind(e["key"], e["label"], e["label_en"], bool(e.get("group", False))) for e in entries
    )
    keys = {k.key for k in kinds}
    index: dict[str, tuple[str, ...]] = {}
    for e in entries:
        for stem in e.get("names") or []:
            _add_stem(index, stem, (e["key"],))
    for stem, merged in (raw.get("merged") or {}).items():
        missing = [k for k in merged if k not in keys]
        if missing:
            raise ValueError(f"{DATA_FILE}: merged stem {stem!r} names unknown kinds {missing}")
        _add_stem(index, stem, tuple(merged))
    return KindTable(
        version=int(raw["version"]),
        updated=str(raw["updated"]),
        kinds=kinds,
        index=index,
        group_prefixes=_patterns(entries, "prefixes"),
        group_suffixes=_patterns(entries, "suffixes"),
        keywords=_patterns(entries, "keywords"),
        abbrevs=_patterns(entries, "abbrev"),
        rules=_parse_rules(raw["prefix"]),
    )


@functools.cache
def _data() -> KindTable:
    """Read and check ``data/agency_kinds.yaml`` once per process."""
    text = importlib.resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text("utf-8")
    return _build_table(yaml.safe_load(text))


def kind_table() -> KindTable:
    """The whole loaded table (version, kinds, stem index), e.g. to report its version."""
    return _data()


def kinds_table() -> list[Kind]:
    """Every kind in file order: key, Chinese label, English label, and whether it is a group."""
    return list(_data().kinds)


def kind_label(key: str, english: bool = False) -> str:
    """The label of one kind key; the key itself when the table does not have it."""
    for kind in _data().kinds:
        if kind.key == key:
            return kind.label_en if english else kind.label
    return key


# --- normalising ----------------------------------------------------------------------------


@functools.cache
def _t2s() -> Any:
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - opencc is a declared dependency
        return None


def _drop_noise(name: str, rules: PrefixRules) -> str:
    changed = True
    while changed:
        changed = False
        for noise in rules.noise_suffixes:
            if name.endswith(noise) and len(name) > len(noise):
                name, changed = name[: -len(noise)], True
    return name


def normalize_text(text: str) -> str:
    """Simplified characters, no spaces, full-width brackets: how names and titles are compared."""
    text = _SPACES.sub("", text).translate(_BRACKETS)
    converter = _t2s()
    return converter.convert(text) if converter is not None else text


def normalize_name(name: str) -> str:
    """:func:`normalize_text`, then without trailing words that are not a name (等, 负责人)."""
    return _drop_noise(normalize_text(name), _data().rules)


# --- prefix stripping -----------------------------------------------------------------------


def _strip_level(name: str, rules: PrefixRules, guard: bool = False) -> str | None:
    """县科协 -> 科协; None when the name does not start with a level word.

    With ``guard`` a protected start (市场…) is not stripped: used when no table entry can
    confirm the strip. Without it both readings are tried and the table decides
    (市民政局 is 市 + 民政局, 市场监管局 is itself).
    """
    if guard and name.startswith(rules.protected):
        return None
    for level in rules.levels:
        if name.startswith(level) and len(name) > len(level):
            return name[len(level) :]
    return None


def _strip_jurisdiction(name: str, jurisdiction: str | None, rules: PrefixRules) -> str | None:
    """丰都县科协 -> 科协 when the jurisdiction 丰都县 (or 丰都) is given."""
    if not jurisdiction:
        return None
    place = normalize_name(jurisdiction)
    forms = [place]
    for level in rules.levels:
        if place.endswith(level) and len(place) > len(level) + 1:
            forms.append(place[: -len(level)])
            break
    for form in forms:
        if name.startswith(form) and len(name) > len(form):
            rest = name[len(form) :]
            return _strip_level(rest, rules) or rest
    return None


def _strip_place(name: str, rules: PrefixRules) -> list[str]:
    """忻州市教育局 -> 教育局: a 2-4 character place name and a level word (a guess, checked later)."""
    out = []
    for n in rules.place_name_lengths:
        for level in rules.levels:
            if name[n:].startswith(level) and len(name) > n + len(level):
                out.append(name[n + len(level) :])
    return out


def _strip_infix(name: str, jurisdiction: str | None, rules: PrefixRules) -> list[str]:
    """团县委 -> 团委, 共青团丰都县委 -> 共青团委: the level word sits after the body's head."""
    for head in rules.infix_heads:
        if name.startswith(head) and len(name) > len(head):
            inner = name[len(head) :]
            return [head + rest for rest in _outer_variants(inner, jurisdiction, rules)]
    return []


def _outer_variants(name: str, jurisdiction: str | None, rules: PrefixRules) -> list[str]:
    """The name with its leading jurisdiction removed in each way that applies, surest first."""
    found = [
        _strip_jurisdiction(name, jurisdiction, rules),
        _strip_level(name, rules),
        *_strip_place(name, rules),
    ]
    return [v for v in found if v]


def _party_variants(name: str, rules: PrefixRules) -> list[str]:
    """委宣传部 -> 宣传部 (县委宣传部 after its level word); short forms such as 委办 stay."""
    marker = rules.party_marker
    if name.startswith(marker) and len(name) - len(marker) >= 2:
        return [name, name[len(marker) :]]
    return [name]


def _prefix_variants(name: str, jurisdiction: str | None, rules: PrefixRules) -> list[str]:
    variants = [name, *_strip_infix(name, jurisdiction, rules)]
    variants += _outer_variants(name, jurisdiction, rules)
    out = [p for v in variants for p in _party_variants(v, rules)]
    return list(dict.fromkeys(out))


# --- branches -------------------------------------------------------------------------------


def _known_base(body: str, index: dict[str, tuple[str, ...]]) -> str | None:
    for end in range(len(body), 1, -1):
        if body[:end] in index:
            return body[:end]
    return None


def _split_branch(stem: str, table: KindTable) -> tuple[str, str | None] | None:
    """生态环境局沁源分局 -> (生态环境局, 沁源); None when the stem is not a branch."""
    for suffix in table.rules.branch_suffixes:
        if not stem.endswith(suffix) or len(stem) == len(suffix):
            continue
        body = stem[: -len(suffix)]
        base = _known_base(body, table.index)
        if base is None and body + suffix[1:] in table.index:
            return body + suffix[1:], None
        if base is None:
            base = _organ_cut(body, table.rules) or body + suffix[1:]
        return base, body[len(base) :] or None
    return None


def _organ_cut(body: str, rules: PrefixRules) -> str | None:
    """The shortest leading part of ``body`` that ends like a body's name (…局) and leaves a rest."""
    for end in range(2, len(body)):
        if body[:end].endswith(rules.organ_suffixes):
            return body[:end]
    return None


def _branch_variants(stem: str, table: KindTable) -> list[tuple[str, str | None]]:
    split = _split_branch(stem, table)
    return [(stem, None)] + ([split] if split else [])


# --- lookup ---------------------------------------------------------------------------------


def _candidates(name: str, jurisdiction: str | None) -> Iterator[tuple[str, str | None]]:
    table = _data()
    for variant in _prefix_variants(name, jurisdiction, table.rules):
        yield from _branch_variants(variant, table)


def _group_kind(name: str, table: KindTable) -> str | None:
    for prefix, key in table.group_prefixes:
        if name.startswith(prefix):
            return key
    for suffix, key in table.group_suffixes:
        if name.endswith(suffix):
            return key
    return None


def _default_parse(name: str, jurisdiction: str | None) -> ParsedName:
    """The stem of a name the table does not know: the surest prefix strip, then a branch."""
    table = _data()
    rules = table.rules
    stripped = (
        _strip_jurisdiction(name, jurisdiction, rules)
        or next(iter(_strip_infix(name, jurisdiction, rules)), None)
        or _strip_level(name, rules, guard=True)
        or name
    )
    stem = _party_variants(stripped, rules)[-1] if stripped != name else stripped
    stem, branch = _split_branch(stem, table) or (stem, None)
    return ParsedName(stem, branch, known=False)


def parse_name(name: str, jurisdiction: str | None = None) -> ParsedName:
    """Split a name into stem and branch, preferring the least stripped form the table knows."""
    text = normalize_name(name)
    table = _data()
    for stem, branch in _candidates(text, jurisdiction):
        if stem in table.index:
            return ParsedName(stem, branch, known=True)
    return _default_parse(text, jurisdiction)


def strip_prefix(name: str, jurisdiction: str | None = None) -> str:
    """The name without its jurisdiction prefix or branch part: 县科协 -> 科协, 团县委 -> 团委."""
    return parse_name(name, jurisdiction).stem


def classify(name: str, jurisdiction: str | None = None) -> KindResult:
    """The kinds of body a name means; ``guessed`` when the table does not list it."""
    parsed = parse_name(name, jurisdiction)
    table = _data()
    if parsed.known:
        kinds = list(table.index[parsed.stem])
        return KindResult(name, parsed.stem, kinds, guessed=False, branch=parsed.branch)
    group = _group_kind(normalize_name(name), table) or _group_kind(parsed.stem, table)
    if group:
        return KindResult(name, parsed.stem, [group], guessed=False, branch=parsed.branch)
    kinds = guess_kinds(parsed.stem) or [UNKNOWN]
    return KindResult(name, parsed.stem, kinds, guessed=True, branch=parsed.branch)


# --- guessing -------------------------------------------------------------------------------


def _split_organ(stem: str, rules: PrefixRules) -> tuple[str, str]:
    """发改和科技局 -> (发改和科技, 局); the organ word is '' when the stem has none."""
    for organ in rules.organ_suffixes:
        if stem.endswith(organ) and len(stem) > len(organ):
            return stem[: -len(organ)], organ
    return stem, ""


def _guess_by_parts(stem: str, table: KindTable) -> list[str]:
    """A merged name split on 和/及: 人社和医保局 -> 人社局 + 医保局, each looked up."""
    body, organ = _split_organ(stem, table.rules)
    pattern = "|".join(map(re.escape, table.rules.conjunctions))
    parts = [p for p in re.split(pattern, body) if p] if pattern else [body]
    if len(parts) < 2:
        return []
    found: list[str] = []
    for part in parts:
        kinds = table.index.get(part + organ) or table.index.get(part)
        if not kinds:
            return []
        found += kinds
    return list(dict.fromkeys(found))


def _guess_by_keywords(stem: str, table: KindTable) -> list[str]:
    """Kinds whose keywords occur in the stem, longest keyword first, in reading order."""
    taken = [False] * len(stem)
    hits: list[tuple[int, str]] = []
    for word, key in table.keywords:
        start = stem.find(word)
        while start >= 0:
            span = range(start, start + len(word))
            if not any(taken[i] for i in span):
                for i in span:
                    taken[i] = True
                hits.append((start, key))
            start = stem.find(word, start + 1)
    return list(dict.fromkeys(key for _, key in sorted(hits)))


def _guess_by_abbrevs(stem: str, table: KindTable) -> list[str]:
    """A name built from abbreviations only: 文体旅局 -> 文 + 体 + 旅 (culture, sports, tourism)."""
    body, organ = _split_organ(stem, table.rules)
    if not organ:
        return []
    tokens = _tokenize(body, table.abbrevs)
    return list(dict.fromkeys(tokens)) if tokens else []


def _tokenize(body: str, abbrevs: tuple[tuple[str, str], ...]) -> list[str] | None:
    """Kind keys of a full split of ``body`` into abbreviations (longest first), or None."""
    if not body:
        return []
    for word, key in abbrevs:
        if body.startswith(word):
            rest = _tokenize(body[len(word) :], abbrevs)
            if rest is not None:
                return [key, *rest]
    return None


def guess_kinds(stem: str) -> list[str]:
    """Best-effort kinds for a stem the table does not list; [] when nothing fits."""
    table = _data()
    for guess in (_guess_by_parts, _guess_by_keywords, _guess_by_abbrevs):
        kinds = guess(stem, table)
        if kinds:
            return kinds
    return []
