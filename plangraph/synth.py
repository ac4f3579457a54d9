"""Synthetic science-literacy plans, with the true facts of each, for scale tests and benchmarks.

Why: only five real plans are at hand, but the product must load a national corpus (~3,200 plans,
one per county and city) and the loader must be right on layouts it has never seen. This module
writes as many plans as asked, in every layout and clause form the real ones show, in varied
proportions, and records for each what a perfect loader must read from it (the plan JSON shape of
``shared/spec/plan-json.md`` plus ``aliases`` and ``synth`` metadata). Tests compare the loader with
these facts; benchmarks time it on realistic files (~25-35 KB each).

Everything is invented: place names come from syllables, agencies from stems in
``plangraph/data/synth_vocab.yaml``. Output is a pure function of ``(n, seed)``: the same call gives
byte-identical files (string seeds of ``random.Random`` are hashed with SHA-512, not Python's
randomised ``hash``; no set is ever iterated).

Example:
    >>> name, text, facts = next(generate(1, seed=0))
    >>> facts["source"]["file"] == name and facts["jurisdiction"]["name"] in text
    True
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import orjson
import yaml
from rapidfuzz.distance import Levenshtein

from .synth_generations import GenerationStyle, default_period, generation_style, place_periods, plan_seeds

T = TypeVar("T")
Facts = dict[str, Any]

CN_DIGITS = "零一二三四五六七八九"
HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":"})
NOT_BREAKABLE = set("，。、；：（）〔〕“”《》—0123456789.%一二三四五六七八九十")
DASHES = (("—", 50), ("-", 25), ("－", 8), ("–", 7), ("～", 5))


@cache
def vocab() -> dict[str, Any]:
    """The generator's vocabulary (plangraph/data/synth_vocab.yaml), read once."""
    text = resources.files("plangraph").joinpath("data/synth_vocab.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    """One of ``options`` (value, weight) at random, by weight."""
    total = sum(w for _, w in options)
    x = rng.random() * total
    for value, w in options:
        x -= w
        if x < 0:
            return value
    return options[-1][0]


def chinese_number(n: int) -> str:
    """1..99 as Chinese numerals: 3 -> 三, 12 -> 十二, 20 -> 二十."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def _occurrences(text: str, part: str) -> Iterator[int]:
    at = text.find(part)
    while at != -1:
        yield at
        at = text.find(part, at + 1)


def dedupe(items: Sequence[T]) -> list[T]:
    """Items in order, each once."""
    return list(dict.fromkeys(items))


# ------------------------------------------------------------------------------------------------
# Places


@dataclass(frozen=True)
class Place:
    """A plan's jurisdiction and the higher levels it belongs to; ``code`` and ``division`` for a
    real division drawn from the gazetteer, None for an invented place."""

    name: str
    level: str
    province: str
    city: str | None
    code: str | None = None
    division: str | None = None

    @property
    def short(self) -> str:
        return self.name[:-1]

    @property
    def word(self) -> str:
        """The level word of its bodies and of "我县": its name's own ending (浏阳市: 市, a
        county-level city), or its level's."""
        return self.name[-1] if self.name[-1] in LEVEL_WORDS else vocab()["level_prefix"][self.level]


LEVEL_WORDS = ("县", "市", "区")  # the level words the phrase vocabulary is written for


def real_provinces() -> list[str]:
    """Provinces and autonomous regions by their real names (plans cite real provinces; the loader
    recognises them from ``graph/data/provinces.yaml``), without municipalities, which have no cities."""
    from plangraph.graph.places import provinces

    return [p for p in provinces() if p.endswith(("省", "自治区")) and p not in ("台湾省",)]


def real_places() -> dict[str, list[Place]]:
    """China's divisions a synthetic plan may be written for, by level, in the gazetteer's order:
    those whose name ends in a level word the vocabulary has (县, 自治县, 县级市, 市辖区, 地级市; not
    旗, 州, 盟, 地区) and is no other division's name too (朝阳区 is two places: a plan of one must
    cite its city, which the generator does not promise), nor one the loader's traditional ->
    simplified conversion changes (乾县 and 乾安县 read as 干县, 干安县: a known limit of the loader)."""
    from plangraph.graph.places import all_divisions, divisions_named
    from plangraph.loaders.normalize import to_simplified

    pools: dict[str, list[Place]] = {"county": [], "city": [], "district": []}
    for d in all_divisions():
        if d.level not in pools or d.province is None or d.name[-1] not in LEVEL_WORDS:
            continue
        if d.level == "city" and d.division != "地级市":
            continue
        if len(divisions_named(d.name)) == 1 and to_simplified(d.name) == d.name:
            pools[d.level].append(Place(d.name, d.level, d.province, d.parent_city, d.code, d.division))
    return pools


class Atlas:
    """Plan jurisdictions: real divisions drawn at random from the gazetteer (each once), so a
    national corpus has China's names, codes and parents; invented places once a level's real
    ones are used up. Every name unique across a corpus."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.syllables: list[str] = dedupe(vocab()["place_syllables"])
        self.used: set[str] = set()
        self.provinces = real_provinces()
        per = vocab()["cities_per_province"]
        self.cities = [(self._new_name("市"), p) for p in self.provinces for _ in range(per)]
        self.free_cities = list(range(len(self.cities)))
        rng.shuffle(self.free_cities)
        self.real = real_places()
        for pool in self.real.values():
            rng.shuffle(pool)

    def _new_name(self, suffix: str) -> str:
        from plangraph.graph.places import divisions_named

        while True:
            count = 3 if self.rng.random() < 0.08 else 2
            stem = "".join(self.rng.sample(self.syllables, count))
            if stem not in self.used and not divisions_named(stem + suffix):
                self.used.add(stem)
                return stem + suffix

    def next_place(self) -> Place:
        v = vocab()
        level = weighted(self.rng, list(v["level_weights"].items()))
        if self.real[level]:
            return self.real[level].pop()
        if level == "city":
            if not self.free_cities:
                self.cities.append((self._new_name("市"), self.rng.choice(self.provinces)))
                self.free_cities.append(len(self.cities) - 1)
            city, province = self.cities[self.free_cities.pop()]
            return Place(city, "city", province, None)
        city, province = self.rng.choice(self.cities)
        return Place(self._new_name(v["level_suffix"][level]), level, province, city)


# ------------------------------------------------------------------------------------------------
# Agencies


@dataclass(eq=False)
class Body:
    """One agency of a plan: its usual spelling, other spellings, and the variant this plan uses."""

    slots: tuple[str, ...]
    name: str
    others: tuple[str, ...] = ()
    bare: str | None = None
    typos: tuple[str, ...] = ()
    variant: str | None = None
    variant_kind: str | None = None
    mentions: int = 0
    typo_used: bool = False

    def spellings(self) -> list[str]:
        return [self.name, *self.others, *([self.bare] if self.bare else [])]


def full_name(stem: str, style: str, prefix: str) -> str:
    """县 + 科协, 县委 + 宣传部, 团县委."""
    if style == "party":
        return f"{prefix}委{stem}"
    if style == "league":
        return f"团{prefix}委"
    return prefix + stem


def build_bodies(rng: random.Random, place: Place) -> list[Body]:
    """The agencies of one jurisdiction: one body per slot it fills (merged bodies fill several)."""
    v = vocab()
    prefix = place.word
    covered: set[str] = set()
    bodies: list[Body] = []
    for slot in v["agency_slots"]:
        key = slot["slot"]
        if key in covered or rng.random() >= slot["p"]:
            continue
        if key == "ecology" and place.level != "city" and rng.random() < v["ecology_branch_rate"]:
            bodies.append(Body((key,), v["ecology_branch"].format(short=place.short)))
            covered.add(key)
            continue
        forms = [f for f in slot["forms"] if not covered.intersection(f.get("covers", []))]
        form = weighted(rng, [(f, f.get("w", 1)) for f in forms])
        body = _body_from_form(rng, key, form, slot.get("style", "plain"), prefix)
        covered.update(body.slots)
        bodies.append(body)
    return bodies


def _body_from_form(rng: random.Random, slot: str, form: dict[str, Any], style: str, prefix: str) -> Body:
    spellings = dedupe(full_name(n, style, prefix) for n in form["names"])
    main = 0 if len(spellings) == 1 or rng.random() < 0.8 else rng.randrange(1, len(spellings))
    name = spellings[main]
    typos = tuple(full_name(t, style, prefix) for t in form.get("typos", [])) if main == 0 else ()
    return Body(
        slots=(slot, *form.get("covers", [])),
        name=name,
        others=tuple(s for s in spellings if s != name),
        bare=name[len(prefix) :] if style == "plain" else None,
        typos=typos,
    )


def typo_is_safe(typo: str, body: Body, bodies: list[Body]) -> bool:
    """A typo is usable when no other body of the plan is as close to it as its own body."""
    for other in bodies:
        if other is body:
            continue
        if any(Levenshtein.distance(typo, s, score_cutoff=2) < 2 for s in other.spellings()):
            return False
    return typo not in body.spellings()


def choose_variants(rng: random.Random, bodies: list[Body]) -> None:
    """Give a few bodies a second spelling: prefix missing, other long/short form, or a typo."""
    count = weighted(rng, [(0, 45), (1, 30), (2, 18), (3, 7)])
    candidates = [b for b in bodies if b.others or b.bare or b.typos]
    rng.shuffle(candidates)
    typo_taken = False
    for body in candidates[:count]:
        options: list[tuple[tuple[str, str], float]] = []
        options += [(("alt", s), 45 / len(body.others)) for s in body.others]
        if body.bare:
            options.append((("bare", body.bare), 35))
        if not typo_taken:
            safe = [t for t in body.typos if typo_is_safe(t, body, bodies)]
            options += [(("typo", t), 25 / len(safe)) for t in safe]
        if not options:
            continue
        body.variant_kind, body.variant = weighted(rng, options)
        typo_taken = typo_taken or body.variant_kind == "typo"


# ------------------------------------------------------------------------------------------------
# Plan profile: which layout, clause form and kinds of mess one plan has


@dataclass
class Profile:
    """What one plan looks like, drawn once per plan."""

    layout: str  # numbered | running | dash | plain
    form: str  # paren | unit | lines | bracket
    spaced: bool  # a blank line between paragraphs
    pdf: bool  # lines broken mid-sentence, page-break fragments
    half_width: bool
    title: str  # one_line | two_lines | none
    notice: bool  # the government notice wrapped around the plan
    footer: bool
    number_format: str
    indent: str
    crlf: bool
    bom: bool
    shi: bool  # "实施" before every action heading
    group_mode: str  # none | members | sprinkle
    member_list: bool
    background: bool
    late_start: bool  # the plan starts a year into its generation (2022-2025)
    dash: str

    @classmethod
    def draw(cls, rng: random.Random) -> Profile:
        layout = weighted(rng, [("numbered", 35), ("running", 15), ("dash", 25), ("plain", 25)])
        form = weighted(rng, [("paren", 35), ("unit", 20), ("lines", 20), ("bracket", 25)])
        if layout == "plain" and form == "lines" and rng.random() < 0.6:
            form = weighted(rng, [("paren", 35), ("unit", 20), ("bracket", 25)])
        spaced = rng.random() < (0.7 if form == "lines" else 0.35)
        title = weighted(rng, [("one_line", 55), ("two_lines", 35), ("none", 10)])
        group_mode = weighted(rng, [("none", 50), ("members", 15), ("sprinkle", 35)])
        return cls(
            layout=layout,
            form=form,
            spaced=spaced,
            pdf=spaced and layout != "plain" and rng.random() < 0.4,
            half_width=rng.random() < 0.06,
            title=title,
            notice=title != "none" and rng.random() < 0.3,
            footer=rng.random() < 0.2,
            number_format=weighted(rng, [("{n}.", 55), ("{n}. ", 35), ("{n}．", 10)]),
            indent=weighted(rng, [("", 83), ("\u3000\u3000", 12), ("    ", 5)]),
            crlf=rng.random() < 0.04,
            bom=rng.random() < 0.04,
            shi=rng.random() < 0.45,
            group_mode=group_mode,
            member_list=rng.random() < (0.5 if group_mode == "members" else 0.3),
            background=rng.random() < 0.25,
            late_start=rng.random() < 0.06,
            dash=weighted(rng, DASHES),
        )

    def summary(self) -> dict[str, Any]:
        keys = ("layout", "form", "spaced", "pdf", "half_width", "title", "notice", "group_mode", "member_list")
        return {k: getattr(self, k) for k in keys} | {"crlf": self.crlf, "bom": self.bom}


# ------------------------------------------------------------------------------------------------
# Clauses


@dataclass
class Clause:
    """A responsibility clause as written (one line, or two for 牵头部门/配合部门) and its names."""

    form: str  # the spec's table row: A paren, B unit, C lines, D split, E responsible, F action
    lines: list[str]
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)

    def roles(self) -> dict[str, list[str]]:
        return {"lead": list(self.lead), "support": list(self.support), "responsible": list(self.responsible)}


Item = Body | str  # an agency, or a group reference written as is


@dataclass
class TaskPlan:
    """A task before it is written: its title, body and who does it."""

    title: str
    body: str
    leads: list[Item]
    supports: list[Item]
    clause: Clause | None = None
    shared: bool = False


# ------------------------------------------------------------------------------------------------
# The writer of one plan


class PlanWriter:
    """Writes one plan's text and records its facts while doing so."""

    def __init__(self, rng: random.Random, place: Place, generation: GenerationStyle | None = None) -> None:
        self.rng = rng
        self.place = place
        self.v = vocab()
        self.g = generation or generation_style()
        self.p = Profile.draw(rng)
        self.L = place.word
        self.bodies = build_bodies(rng, place)
        choose_variants(rng, self.bodies)
        self.by_slot = {slot: b for b in self.bodies for slot in b.slots}
        self.out: list[str] = []
        self.hw = False
        self.aliases: dict[str, str] = {}
        self.variants: dict[str, str] = {}
        self.groups: dict[str, list[str]] = {}
        self.actions: list[Facts] = []
        self.task_number = 0
        self.no_task_actions = 0
        self.local_group = rng.choice(self.v["group_local"][place.level])
        self.deck: list[str] = []
        self.leading_group = rng.choice(self.v["leading_group_names"]).format(L=self.L)
        self.city_cited = rng.random() < 0.75
        self.member_names: list[str] | None = None
        self.target = rng.choice([10.0, 10.5, 11.0, 11.2, 12.0, 12.5, 13.0, 13.5, 14.0, 14.5, 15.0, 15.5, 16.0])

    # -- small helpers ---------------------------------------------------------------------------

    def w(self, s: str) -> str:
        """Text as this paragraph writes it (half-width punctuation in some web copies)."""
        return s.translate(HALF_WIDTH) if self.hw else s

    def new_paragraph(self) -> None:
        self.hw = self.p.half_width and self.rng.random() < 0.6

    def fmt(self, s: str) -> str:
        word = {"县": "全县", "市": "全市", "区": "全区"}[self.L]
        return s.format(J=self.place.name, S=self.place.short, L=self.L, W=word, **self.g.words())

    def emit(self, text: str, indent: bool = False) -> None:
        if indent and self.p.indent and self.rng.random() < 0.8:
            text = self.p.indent + text
        self.out.append(text)

    def period(self) -> str:
        """The plan's own period as its title writes it: （2021—2025年）, （2021年-2025年）…."""
        start, end, dash = self.start(), self.g.end, self.p.dash
        if self.rng.random() < 0.05:
            return f"（{start}年{dash}{end}年）"
        return f"（{start}{dash}{end}年）"

    def start(self) -> int:
        return self.g.start + self.p.late_start

    def sentences(self, pool: Sequence[str], low: int, high: int) -> str:
        k = min(len(pool), self.rng.randint(low, high))
        return "".join(self.fmt(s) + "。" for s in self.rng.sample(list(pool), k))

    def pdf_break(self, text: str, keep: Sequence[str] = ()) -> str:
        """Break a line mid-sentence, as PDF text layers do: never next to punctuation, never
        inside a phrase of ``keep`` (names and figures the facts are checked against)."""
        if not self.p.pdf or len(text) < 30 or self.rng.random() > 0.35:
            return text
        kept = [(m, m + len(k)) for k in keep for m in _occurrences(text, k)]
        for _ in range(6):
            i = self.rng.randrange(8, len(text) - 4)
            if text[i - 1] in NOT_BREAKABLE or text[i] in NOT_BREAKABLE:
                continue
            if not any(start < i < end for start, end in kept):
                return text[:i] + "\n\n" + text[i:]
        return text

    def fragment_after(self, line: str, rate: float) -> None:
        """A stray page-break fragment: the last character of the previous line, alone."""
        if self.p.pdf and line and "\u4e00" <= line[-1] <= "\u9fff" and self.rng.random() < rate:
            self.out.append(line[-1])

    # -- agencies as written ---------------------------------------------------------------------

    def spell(self, item: Item) -> str:
        if isinstance(item, str):
            self.groups.setdefault(item, [])
            return self.w(item)
        item.mentions += 1
        name = item.name
        if item.variant and item.mentions > 1:
            if item.variant_kind == "typo":
                if not item.typo_used and self.rng.random() < 0.3:
                    name, item.typo_used = item.variant, True
            elif self.rng.random() < 0.35:
                name = item.variant
        self.aliases[name] = item.name
        if name != item.name:
            self.variants[name] = item.variant_kind or "alt"
        return name

    def name_list(self, items: Sequence[Item]) -> tuple[str, list[str]]:
        """Items joined by 、 as written (rarely with a name repeated), and the names once each."""
        names = [self.spell(i) for i in items]
        written = list(names)
        if len(written) >= 2 and self.rng.random() < 0.01:
            at = self.rng.randrange(len(written))
            written.insert(at, written[at])
        return self.w("、").join(written), dedupe(names)

    # -- clauses ---------------------------------------------------------------------------------

    def clause(self, leads: list[Item], supports: list[Item]) -> Clause:
        form = self.p.form
        if form == "paren":
            return self._paren(leads, supports)
        if form == "unit":
            return self._unit(leads, supports)
        if form == "lines":
            return self._lines(leads, supports)
        if supports and (self.rng.random() < 0.3 or self.p.group_mode == "members"):
            return self._split(leads, supports)
        return self._responsible(leads + supports)

    def _paren(self, leads: list[Item], supports: list[Item]) -> Clause:
        lead_text, lead = self.name_list(leads)
        sup_text, sup = self.name_list(supports)
        etc = weighted(self.rng, [("等单位", 72), ("等", 15), ("", 12), ("等党委", 1)])
        text = self.w(f"（{lead_text}牵头，{sup_text}{etc}配合）")
        return Clause("A", [text], lead=lead, support=sup)

    def _unit(self, leads: list[Item], supports: list[Item]) -> Clause:
        lead_text, lead = self.name_list(leads)
        sup_text, sup = self.name_list(supports)
        text = self.w(f"（牵头单位：{lead_text}，责任单位：{sup_text}）")
        return Clause("B", [text], lead=lead, support=sup)

    def _lines(self, leads: list[Item], supports: list[Item]) -> Clause:
        lead_text, lead = self.name_list(leads)
        sup_text, sup = self.name_list(supports)
        etc = "等" if self.rng.random() < 0.12 else ""
        colon = ": " if self.hw and self.rng.random() < 0.5 else self.w("：")
        lines = [f"牵头部门{colon}{lead_text}", f"配合部门{colon}{sup_text}{etc}"]
        return Clause("C", lines, lead=lead, support=sup)

    def _duty(self) -> str:
        return "按职责分工负责" if self.rng.random() < 0.85 else "按职责分工"

    def _split(self, leads: list[Item], supports: list[Item]) -> Clause:
        lead_text, lead = self.name_list(leads)
        sup_text, sup = self.name_list(supports)
        text = self.w(f"〔{lead_text}，{sup_text}{self._duty()}〕")
        return Clause("D", [text], lead=lead, support=sup)

    def _responsible(self, items: list[Item]) -> Clause:
        items = items[: self.rng.randint(2, 9)] if len(items) > 2 else items
        text, names = self.name_list(items)
        return Clause("E", [self.w(f"〔{text}{self._duty()}〕")], responsible=names)

    def _division(self, leads: list[Item], supports: list[Item]) -> Clause:
        """The division-of-work line closing an action of 2016-2020 plans: "分工：由A牵头，B等单位参加。"."""
        lead_text, lead = self.name_list(leads)
        sup_text, sup = self.name_list(supports)
        return Clause("G", [f"分工：由{lead_text}牵头，{sup_text}等单位参加。"], lead=lead, support=sup)

    def action_lead_clause(self, leads: list[Item]) -> Clause:
        text, names = self.name_list(leads)
        return Clause("F", [self.w(f"〔牵头部门：{text}〕")], lead=names)

    # -- who does a task -------------------------------------------------------------------------

    def lead_base(self, key: str) -> list[Body]:
        spec = self.g.action(key)
        base = dedupe(self.by_slot[s] for s in spec["leads"] if s in self.by_slot)
        return base or [self.by_slot["sci_assoc"]]

    def group_refs(self) -> list[str]:
        return [self.v["group_departments"].format(L=self.L), self.local_group]

    def members_group(self) -> str:
        return self.leading_group + self.v["group_members_suffix"]

    def task_agencies(self, base: list[Body]) -> tuple[list[Item], list[Item]]:
        cand: list[Body] = list(base)
        if self.rng.random() < 0.3:
            cand.insert(self.rng.randint(1, len(cand)), self.rng.choice(self.bodies))
        leads: list[Item] = dedupe(cand)[: weighted(self.rng, [(1, 55), (2, 35), (3, 10)])]
        others = [b for b in self.bodies if b not in leads]
        if self.p.group_mode == "members" and self.rng.random() < 0.85:
            return leads, [self.members_group()]
        count = weighted(self.rng, [(1, 6), (2, 10), (3, 12), (4, 12), (5, 12), (6, 12), (8, 14), (10, 12), (13, 10)])
        supports: list[Item] = list(self.rng.sample(others, min(count, len(others))))
        if self.p.group_mode == "sprinkle" and self.rng.random() < 0.12:
            refs = self.group_refs()
            supports += refs[: self.rng.randint(1, 2)] if self.rng.random() < 0.5 else [refs[1]]
        return leads, supports

    # -- the document ----------------------------------------------------------------------------

    def write(self) -> tuple[str, Facts]:
        keys = self.pick_actions()
        if self.p.notice:
            self.write_notice()
        self.write_title()
        self.write_preamble()
        part_no = 1
        if self.p.background:
            self.write_background(part_no)
            part_no += 1
        self.write_guidance(part_no)
        for offset, part in enumerate(("提升行动", "重点工程"), start=1):
            self.write_task_part(part_no + offset, part, [k for k in keys if k in self.g.action_parts[part]])
        self.write_closing(part_no + 3)
        if self.p.footer:
            self.write_footer()
        return self.render(), self.facts()

    def pick_actions(self) -> list[str]:
        weights: dict[str, float] = self.g.action_weights
        keys = [k for k, p in weights.items() if self.rng.random() < p]
        optional = [k for k in weights if k not in keys]
        self.rng.shuffle(optional)
        while len(keys) < 8:
            keys.append(optional.pop())
        while len(keys) > 12:
            keys.remove(self.rng.choice(keys[5:]))
        projects = [k for k in keys if k in self.g.action_parts["重点工程"]]
        if self.rng.random() < 0.3:
            self.rng.shuffle(projects)
        upgrades = [k for k in weights if k in keys and k not in projects]
        return upgrades + projects

    def render(self) -> str:
        sep = "\n\n" if self.p.spaced else "\n"
        text = sep.join(self.out) + "\n"
        if self.p.spaced and self.rng.random() < 0.5:
            text = "\n\n" + text
        if self.p.crlf:
            text = text.replace("\n", "\r\n")
        return ("\ufeff" if self.p.bom else "") + text

    # -- front matter ----------------------------------------------------------------------------

    def plan_title(self) -> str:
        outline = self.g.rare_outline if self.rng.random() < 0.1 else self.g.outline
        gap = " " if self.rng.random() < 0.05 else ""
        return f"{self.place.name}全民科学素质行动{outline}纲要{gap}实施方案"

    def write_notice(self) -> None:
        r = self.rng
        self.emit(f"{self.place.short[0]}府办发〔{self.g.issued}〕{r.randint(1, 120)}号")
        self.emit(f"{self.place.name}人民政府办公室")
        self.emit(f"关于印发{self.place.name}全民科学素质行动{self.g.outline}纲要实施方案{self.period()}的通知")
        to = {"county": "各乡镇人民政府，县直各部门", "city": "各县（市、区）人民政府，市直各部门", "district": "各街道办事处，区直各部门"}
        self.emit(to[self.place.level] + "：")
        self.emit(f"《{self.place.name}全民科学素质行动{self.g.outline}纲要实施方案{self.period()}》已经{self.L}人民政府同意，现印发给你们，请结合实际认真组织实施。")
        self.emit(f"{self.place.name}人民政府办公室")
        self.emit(f"{self.g.issued}年{r.randint(1, 12)}月{r.randint(1, 28)}日")

    def write_title(self) -> None:
        self.new_paragraph()
        if self.p.title == "one_line":
            self.emit(self.w(self.plan_title() + self.period()))
        elif self.p.title == "two_lines":
            self.emit(self.plan_title())
            self.emit(self.w(self.period()))

    def citations(self) -> str:
        place, r = self.place, self.rng
        dash = self.p.dash
        g = self.g
        years, title = f"{g.start}{dash}{g.end}", f"全民科学素质行动{g.outline}纲要实施方案"
        parts = [g.national.format(dash=dash)]
        if r.random() < 0.5:
            parts.append(f"《{place.province}人民政府办公厅关于印发{place.province}{title}（{years}年）的通知》（{place.province[0]}政办发〔{g.start}〕{r.randint(10, 150)}号）")
        else:
            parts.append(f"《{place.province}{title}（{years}年）》（{place.province[0]}政办发〔{g.start}〕{r.randint(10, 150)}号）")
        if self.cites_city():
            parts.append(f"《{place.city}{title}（{years}年）》（{place.city[0]}政办发〔{g.issued}〕{r.randint(1, 60)}号）")
        return "、".join(parts[:-1]) + "和" + parts[-1]

    def cites_city(self) -> bool:
        return self.place.city is not None and (self.place.level == "district" or self.city_cited)

    def write_preamble(self) -> None:
        self.new_paragraph()
        own = ""
        if self.rng.random() < 0.4:
            own = f"按照《{self.place.name}国民经济和社会发展{self.g.ordinal}和二〇三五年远景目标纲要》要求，"
        text = (
            f"为贯彻落实党中央、国务院关于科普和科学素质建设的重要部署，明确“{self.g.name}”时期{self.place.name}"
            f"全民科学素质工作重点任务和保障措施，确保实现{self.g.end}年全民科学素质工作目标，根据{self.citations()}"
            f"精神，{own}结合我{self.L}实际，制定本实施方案。"
        )
        self.emit(self.pdf_break(self.w(text), keep=[self.place.name]), indent=True)

    def write_background(self, number: int) -> None:
        head = weighted(self.rng, [(f"{chinese_number(number)}、背景和意义", 50), (f"{chinese_number(number)}、前言", 40), (f"{number}、 背景和意义", 10)])
        self.emit(head)
        for s in self.v["background"]:
            self.new_paragraph()
            self.emit(self.pdf_break(self.w(self.fmt(s))), indent=True)
        before = round(self.target - self.rng.choice([3.5, 4.2, 5.0, 6.1, 6.7]), 1)
        self.emit(self.fmt(f"{self.g.start - 1}年，{{W}}公民具备科学素质的比例达到{before:g}%，较“{self.g.baseline_compared_to}”末有明显提高。"), indent=True)

    def write_guidance(self, number: int) -> None:
        n = chinese_number(number)
        head = self.rng.choice(["指导思想和工作目标", "指导思想、基本原则和主要目标", "总体要求", "指导思想、工作原则和行动目标"])
        self.emit(f"{n}、{head}")
        self.emit(self.w("（一）指导思想"))
        self.emit(self.pdf_break(self.fmt(self.rng.choice(self.v["guiding_ideology"]))), indent=True)
        self.emit(self.w("（二）" + self.rng.choice(["基本原则", "工作原则"])))
        dash = "——" if self.rng.random() < 0.3 else ""
        for s in self.rng.sample(self.v["principles"], self.rng.randint(3, 5)):
            self.new_paragraph()
            self.emit(self.w(dash + self.fmt(s) + "。"), indent=True)
        self.emit(self.w("（三）" + self.rng.choice(["主要目标", "工作目标", "行动目标"])))
        self.new_paragraph()
        sentence = self.w(self.target_sentence())
        self.emit(self.pdf_break(sentence, keep=[sentence[: sentence.index("%") + 1]]), indent=True)

    def target_sentence(self) -> str:
        value = f"{self.target:g}"
        word = {"县": "全县", "市": "全市", "区": "全区"}[self.L]
        if self.rng.random() < 0.2:
            lead = f"到 {self.g.end} 年，{word}公民具备科学素质的比例达到 {value}% 以上"
        else:
            lead = f"到{self.g.end}年，{word}公民具备科学素质的比例达到{value}%"
        rest = "，".join(self.rng.sample(self.v["goal_sentences"], 2))
        return f"{lead}，{rest}。"

    # -- the parts that hold tasks ---------------------------------------------------------------

    def write_task_part(self, number: int, part: str, keys: list[str]) -> None:
        n, count = chinese_number(number), chinese_number(len(keys))
        heads = [h.format(n=n, count=count) for h in self.g.part_headings[part]]
        self.emit(self.rng.choice(heads))
        shown = str(len(keys)) if self.rng.random() < 0.5 else chinese_number(len(keys))
        self.new_paragraph()
        intro = self.rng.choice(self.v["part_intros"][part]).replace("{N}", shown).replace("{G}", self.g.name)
        self.emit(self.pdf_break(self.w(intro)), indent=True)
        for i, key in enumerate(keys, start=1):
            self.write_action(i, part, key)

    def write_action(self, number: int, part: str, key: str) -> None:
        spec = self.g.action(key)
        title = ("实施" if self.p.shi else "") + self.rng.choice(spec["headings"])
        self.new_paragraph()
        label = f"({chinese_number(number)}){' ' if self.rng.random() < 0.5 else ''}" if self.hw else f"（{chinese_number(number)}）"
        heading = label + title
        self.emit(heading)
        self.fragment_after(heading, 0.04)
        base = self.lead_base(key)
        self.deck = []
        if self.p.layout == "numbered":
            self.task_number = 0
        # an action no key of graph/data/action_keys.yaml knows is read as "other:<its title>"
        fact_key = f"other:{title}" if spec.get("unknown") else key
        action: Facts = {"seq": len(self.actions) + 1, "part": part, "key": fact_key, "title": title, "leads": [], "tasks": [], "single_paragraph": False}
        self.actions.append(action)
        if self.no_task_actions < 2 and self.rng.random() < 0.07:
            self.no_task_actions += 1
            self.write_single_paragraph_action(action, key, base)
            return
        self.write_intro(action, spec, base)
        if self.g.measures_line and not self.p.pdf:
            self.emit(self.g.measures_line)
        tasks = self.plan_tasks(key, base)
        for task in tasks:
            self.write_task(task)
        if tasks[-1].shared:
            self.write_shared_clause(tasks)
        action["tasks"] = [self.task_facts(i, t) for i, t in enumerate(tasks, start=1)]

    def write_intro(self, action: Facts, spec: dict[str, Any], base: list[Body]) -> None:
        plain = self.p.layout == "plain"
        f_form = self.p.form == "bracket"
        if self.rng.random() >= (0.2 if plain else 0.9 if f_form else 0.55):
            return
        self.new_paragraph()
        text = self.pdf_break(self.w(self.g.intro_prefix + self.sentences(spec["intro"], 1, 2)))
        if f_form and self.rng.random() < 0.75:
            clause = self.action_lead_clause(list(base[: self.rng.randint(1, 3)]))
            action["leads"] = clause.lead
            text += clause.lines[0]
        self.emit(text, indent=True)

    def plan_tasks(self, key: str, base: list[Body]) -> list[TaskPlan]:
        spec = self.g.action(key)
        count = weighted(self.rng, [(2, 15), (3, 35), (4, 25), (5, 15), (6, 10)])
        titles = self.rng.sample(spec["titles"], min(count, len(spec["titles"])))
        tasks = [TaskPlan(t, self.task_body(key), *self.task_agencies(base)) for t in titles]
        shared = len(tasks) >= 2 and self.p.layout != "plain" and self.rng.random() < self.g.shared_rate
        for i, task in enumerate(tasks):
            task.shared = shared
            missing = 0 < i < len(tasks) - 1 and self.rng.random() < 0.03
            if shared and i < len(tasks) - 1:
                task.leads, task.supports = tasks[-1].leads, tasks[-1].supports
            elif missing:
                task.leads, task.supports = [], []
        return tasks

    def task_body(self, key: str) -> str:
        """Sentences after the title: from the action's deck (few repeats within an action),
        now and then a generic one."""
        if self.rng.random() < 0.03:
            return ""
        body = ""
        for _ in range(self.rng.randint(3, 6)):
            if not self.deck:
                self.deck = list(self.g.action(key)["sentences"])
                self.rng.shuffle(self.deck)
            body += self.deck.pop() + "。"
        if self.rng.random() < 0.6:
            body += self.sentences(self.v["generic_sentences"], 1, 2)
        return body

    def task_marker(self) -> str:
        if self.p.layout == "dash":
            return "——"
        if self.p.layout == "plain":
            return ""
        self.task_number += 1
        return self.p.number_format.format(n=self.task_number)

    def write_task(self, task: TaskPlan) -> None:
        self.new_paragraph()
        marker = self.task_marker()
        title = self.w(task.title)
        task.title = title
        body = self.pdf_break(self.w(task.body))
        text = f"{marker}{title}。{body}"
        own_clause = task.leads and not task.shared
        if own_clause:
            task.clause = self.clause(task.leads, task.supports)
        self.emit_with_clause(text, task.clause if own_clause else None)

    def emit_with_clause(self, text: str, clause: Clause | None) -> None:
        """A paragraph and its clause: at its end, or on the lines after it (牵头部门/配合部门)."""
        if clause is None:
            self.emit(text, indent=True)
        elif clause.form == "C":
            self.emit(text, indent=True)
            for line in clause.lines:
                self.emit(line)
            self.fragment_after(clause.lines[-1], 0.05)
        else:
            self.emit(text + clause.lines[0], indent=True)

    def write_shared_clause(self, tasks: list[TaskPlan]) -> None:
        """One clause after an action's last task; it applies to every task of the action."""
        self.new_paragraph()
        if self.g.division_rate and self.rng.random() < self.g.division_rate:
            clause = self._division(tasks[-1].leads, tasks[-1].supports)
        else:
            clause = self.clause(tasks[-1].leads, tasks[-1].supports)
        for task in tasks:
            task.clause = clause
        if clause.form == "C":
            for line in clause.lines:
                self.emit(line)
            self.fragment_after(clause.lines[-1], 0.05)
        else:
            self.emit(clause.lines[0])

    def write_single_paragraph_action(self, action: Facts, key: str, base: list[Body]) -> None:
        """An action with no task paragraphs: its one paragraph, with a clause, is its one task."""
        spec = self.g.action(key)
        self.new_paragraph()
        leads, supports = self.task_agencies(base)
        task = TaskPlan(self.w(self.rng.choice(spec["titles"])), self.task_body(key) or self.sentences(spec["intro"], 1, 1), leads, supports)
        task.clause = self.clause(leads, supports)
        self.emit_with_clause(f"{task.title}。{self.pdf_break(self.w(task.body))}", task.clause)
        action["tasks"] = [self.task_facts(1, task)]
        action["single_paragraph"] = True

    def task_facts(self, seq: int, task: TaskPlan) -> Facts:
        roles = task.clause.roles() if task.clause else {"lead": [], "support": [], "responsible": []}
        return {
            "seq": seq,
            "title": task.title,
            **roles,
            "clause_form": task.clause.form if task.clause else None,
            "shared_clause": task.shared,
        }

    # -- closing part ----------------------------------------------------------------------------

    def write_closing(self, number: int) -> None:
        n = chinese_number(number)
        self.emit(self.rng.choice([f"{n}、保障措施", f"{n}、组织实施", f"{n}、保障举措", f"{n}、强化保障措施，确保全面组织实施"]))
        sections = self.rng.sample(self.v["safeguards"], self.rng.randint(3, 5))
        sub = 1
        for head, text in sections:
            self.new_paragraph()
            self.emit(self.w(f"（{chinese_number(sub)}）{head}"))
            self.emit(self.pdf_break(self.w(self.fmt(text))), indent=True)
            if sub == 1 and self.p.member_list:
                self.write_member_list()
            sub += 1
        if self.rng.random() < 0.85:
            self.write_timetable(sub)

    def write_member_list(self) -> None:
        chosen = self.rng.sample(self.bodies, min(len(self.bodies), self.rng.randint(8, 20)))
        names = [b.name for b in chosen]
        for b in chosen:
            self.aliases[b.name] = b.name
        boss = {"县": "副县长", "市": "副市长", "区": "副区长"}[self.L]
        self.emit(f"调整{self.leading_group}，组成人员如下：", indent=True)
        self.emit(f"组  长：{self.L}人民政府分管{boss}")
        self.emit(f"副组长：{self.L}人民政府办公室副主任、{self.L}科协主席")
        self.emit(f"成  员：{'、'.join(names)}负责人")
        self.emit(f"领导小组下设办公室，办公室设在{self.L}科协，办公室主任由{self.L}科协主席兼任。", indent=True)
        self.member_names = names

    def write_timetable(self, sub: int) -> None:
        self.emit(f"（{chinese_number(sub)}）" + self.rng.choice(["进度安排", "实施步骤", "时间安排"]))
        words = self.g.words()
        items = [(name, text.format(**words)) for name, text in self.g.timetable]
        style = self.rng.choice(["inline", "plain", "numbered"])
        if style == "inline":
            order = ["一是", "二是", "三是"]
            self.emit("".join(f"{o}{name}阶段。{text}" for o, (name, text) in zip(order, items)), indent=True)
            return
        for i, (name, text) in enumerate(items, start=1):
            self.emit((f"{i}." if style == "numbered" else "") + f"{name}{'' if style == 'numbered' else '阶段'}。{text}", indent=True)

    def write_footer(self) -> None:
        self.emit(f"抄送：{self.L}委办公室，{self.L}人大常委会办公室，{self.L}政协办公室。")
        self.emit(f"{self.place.name}人民政府办公室        {self.g.issued}年{self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日印发")

    # -- facts -----------------------------------------------------------------------------------

    def facts(self) -> Facts:
        place = self.place
        return {
            "source": None,
            "jurisdiction": {
                "name": place.name,
                "level": place.level,
                "province": place.province,
                # a real place's city is the gazetteer's, cited or not; an invented one's only if cited
                "parent_city": place.city if place.code or self.cites_city() else None,
                "division": place.division,
                "code": place.code,
            },
            "period": None if self.p.title == "none" else f"{self.start()}-{self.g.end}",
            "literacy_target_percent": self.target,
            "actions": self.actions,
            "groups": self.group_facts(),
            "aliases": dict(sorted(self.aliases.items())),
            "synth": self.p.summary() | {"variants": dict(sorted(self.variants.items()))},
        }

    def group_facts(self) -> list[Facts]:
        members = self.member_names
        groups = [{"name": g, "members": []} for g in self.groups]
        if members is not None:
            linked = [g for g in groups if g["name"] == self.members_group()]
            if linked:
                linked[0]["members"] = list(members)
            else:
                groups.append({"name": self.leading_group, "members": list(members)})
        return groups


# ------------------------------------------------------------------------------------------------
# Corpus


def generate(
    n: int, seed: int = 0, generations: Sequence[str] | None = None, several: float = 0.3,
) -> Iterator[tuple[str, str, Facts]]:
    """``n`` synthetic plans as (file name, text, facts), the same for the same arguments.

    ``generations``: the periods written (``synth_generations.periods()``; the default one,
    2021-2025, when None: one plan per place, as ever). With several, a place has a plan of every
    listed period with probability ``several`` (1.0: every place has all), else of one of them;
    ``synth`` in the facts says which ``generation`` and which ``place`` (index) a plan is.

    The facts have the plan JSON shape (source, jurisdiction, period, literacy_target_percent,
    actions with tasks and their lead/support/responsible names, groups) plus ``aliases``
    (every agency spelling used -> the plan's usual spelling of that body) and ``synth`` (which
    layout, clause form and kinds of mess the plan has; ``variants``: spelling -> alt/bare/typo).
    Tasks also say which clause form named their agencies (``clause_form``: the spec's table rows
    A-E, None for no clause) and whether the clause was shared; actions say whether they were
    written as one paragraph (``single_paragraph``).
    """
    atlas = Atlas(random.Random(f"atlas:{seed}"))
    generations = tuple(generations or (default_period(),))
    styles = {period: generation_style(period) for period in generations}  # a ValueError for an unknown one
    written = 0
    place_no = 0
    while written < n:
        place = atlas.next_place()
        chosen = place_periods(random.Random(f"periods:{seed}:{place_no}"), generations, several)
        for period, plan_seed in plan_seeds(seed, place_no, chosen):
            if written == n:
                return
            text, facts = PlanWriter(random.Random(plan_seed), place, styles[period]).write()
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            name = f"{written:05d}_{sha[:16]}.txt"
            facts["source"] = {"file": name, "sha256": sha}
            facts["synth"] = {"seed": seed, "index": written, "place": place_no, "generation": period} | facts["synth"]
            written += 1
            yield name, text, facts
        place_no += 1


def write_corpus(
    n: int,
    out_dir: str | Path,
    seed: int = 0,
    on_plan: Callable[[str, Facts], None] | None = None,
    generations: Sequence[str] | None = None,
    several: float = 0.3,
) -> Path:
    """Write ``n`` plans (UTF-8 .txt) and ``manifest.json`` (a JSON array of their facts) into
    ``out_dir``, one plan at a time; return the manifest's path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest.json"
    with manifest.open("wb") as fh:
        fh.write(b"[")
        for i, (name, text, facts) in enumerate(generate(n, seed, generations, several)):
            (out / name).write_bytes(text.encode("utf-8"))
            fh.write((b",\n" if i else b"\n") + orjson.dumps(facts))
            if on_plan is not None:
                on_plan(name, facts)
        fh.write(b"\n]\n")
    return manifest


def read_manifest(path: str | Path) -> list[Facts]:
    """The facts written by ``write_corpus``."""
    return orjson.loads(Path(path).read_bytes())
