"""Fuzzing the loaders: mutated real plans and random bytes never crash, hang or invent tasks.

Every case goes through ``parse_bytes``, which must return a Plan or raise ``PlanError`` (of which
``ReadError`` is one) naming the file, within ``PARSE_BOUND`` seconds of CPU; any other exception
fails the test. The mutants are built from the seed plans inside the test (never stored):

- cut (truncated at a character or a byte), whole paragraphs dropped, repeated or shuffled;
- noise (control characters, zero-width characters, CJK ideographs, ASCII) inserted between
  paragraphs or anywhere; punctuation widths swapped (（）/(), ，/, ：/:, ；/;);
- mixed encodings (part UTF-8, part GB18030) and a flipped byte;
- random bytes named .txt/.docx/.pdf/.html (and as images), with and without a format's magic bytes; real .docx,
  .pdf and .html built from a seed, then damaged; random CJK text;
- adversarial inputs for the regular expressions and the HTML parser (a 5 MB line, 100k "、",
  deeply nested brackets and elements, thousands of names in one clause);
- the newer readers: OFD files built from a seed then damaged (the zip, or a page's XML: cut,
  entity expansion, nonsense numbers), an OFD zip bomb and one of 5,000 pages; a .doc saved by
  LibreOffice then damaged; damaged page images and images claiming billions of pixels.

Properties beyond "no crash, no hang": noise between paragraphs, dropped paragraphs (other than a
part heading) and repeated paragraphs give no task title the original plan does not have (an
action whose tasks are all gone may become one task titled by its own paragraph, as the spec says);
a cut gives only starts of original titles; swapped punctuation widths give the very same plan; random bytes and random CJK text are no plan; a clause whose closing bracket is lost is
reported in the plan's warnings under its task's title.

Hypothesis runs derandomised without an example database, so every run tries the same cases; the
numbers of examples are set for a few seconds on two cores (PLANGRAPH_FUZZ_SCALE=10 tries ten
times as many; PLANGRAPH_FUZZ_EXPLORE=1 draws new cases on each run). The cases tried are counted
and printed in pytest's terminal summary.
"""

from __future__ import annotations

import io
import os
import random
import re
import string
import time
import zipfile
from collections import Counter
from dataclasses import dataclass
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plangraph.graph.model import Plan
from plangraph.loaders import PlanError, parse_bytes
from plangraph.loaders.normalize import normalize
from plangraph.loaders.paragraphs import join_paragraphs, split_lines
from plangraph.loaders.read import read_bytes
from tests.conftest import SEED_PATHS
from tests.loaders.builders import make_docx, make_html, make_pdf

SCALE = float(os.environ.get("PLANGRAPH_FUZZ_SCALE", "1"))
# Seconds of CPU per file: a hang is the parser spinning, and CPU time does not count the time
# other processes on a busy machine take; wall time gets a wider bound to catch anything else.
PARSE_BOUND = float(os.environ.get("PLANGRAPH_FUZZ_PARSE_SECONDS", "2.0"))
ADVERSARIAL_BOUND = 2 * PARSE_BOUND  # for the multi-megabyte inputs
DOC_BOUND = 12.0  # seconds: a .doc goes through LibreOffice (its CPU is another process's)
WALL_FACTOR = 5
EXPLORE = os.environ.get("PLANGRAPH_FUZZ_EXPLORE") == "1"  # new random cases on every run
CASES: Counter[str] = Counter()


def fuzz(examples: int):  # noqa: ANN201 - a hypothesis settings decorator
    """Bounded, reproducible hypothesis settings: derandomised, no database, no deadline (the
    time bound is asserted per parse instead, where it means something)."""
    return settings(
        max_examples=max(1, round(examples * SCALE)),
        deadline=None,
        derandomize=not EXPLORE,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


class _CaseReport:
    """A pytest plugin, registered by the fixture below, that prints the counts in the summary."""

    def pytest_terminal_summary(self, terminalreporter) -> None:  # noqa: ANN001 - pytest's hook
        total = sum(CASES.values())
        detail = ", ".join(f"{kind} {n}" for kind, n in sorted(CASES.items()))
        terminalreporter.write_line(f"loader fuzz: {total} cases tried ({detail})")


@pytest.fixture(scope="module", autouse=True)
def report_cases(request: pytest.FixtureRequest) -> None:
    """Print how many cases each fuzz target tried in pytest's terminal summary (shows with -q)."""
    manager = request.config.pluginmanager
    if not any(isinstance(plugin, _CaseReport) for plugin in manager.get_plugins()):
        manager.register(_CaseReport())


# --- running one case ---------------------------------------------------------------------------


def parse(data: bytes, name: str, kind: str, bound: float = PARSE_BOUND) -> Plan | None:
    """Parse one case: a Plan, or None for a PlanError naming the file; never anything else."""
    CASES[kind] += 1
    start, cpu_start = time.perf_counter(), time.thread_time()
    try:
        plan: Plan | None = parse_bytes(data, name)
    except PlanError as exc:
        plan = None
        assert exc.file == name and str(exc).startswith(f"{name}: ") and exc.reason.strip(), repr(exc)
    cpu, wall = time.thread_time() - cpu_start, time.perf_counter() - start
    assert cpu < bound, f"{kind}: {name} ({len(data)} bytes) took {cpu:.2f}s of CPU (bound {bound}s)"
    assert wall < WALL_FACTOR * bound, f"{kind}: {name} ({len(data)} bytes) took {wall:.2f}s (bound {WALL_FACTOR * bound}s)"
    if plan is not None:
        check_plan(plan, name)
    return plan


def check_plan(plan: Plan, name: str) -> None:
    """What any plan the loaders return must satisfy, however odd its input."""
    assert plan.source.file == name
    assert plan.actions, "a plan without actions"
    plan.model_dump_json()  # serialisable (no lone surrogates from a broken decode)
    for action in plan.actions:
        assert action.key and action.title.strip()
        for task in action.tasks:
            assert task.title.strip(), f"task {action.seq}.{task.seq} has an empty title"
            assert 0 <= task.span[0] <= task.span[1]
            for role, mention in task.mentions():
                assert mention.name.strip() and mention.agency_id, (role, mention)
                assert 0 <= mention.span[0] <= mention.span[1]
    assert all(isinstance(w, str) and w for w in plan.warnings)


def titles(plan: Plan | None) -> list[str]:
    return [] if plan is None else [t.title for _, t in plan.tasks()]


# --- the seeds, cut into paragraphs -------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    name: str  # the file name the mutants are parsed under
    raw: str
    starts: tuple[int, ...]  # where each paragraph's first line starts in `raw`, ascending
    plan: Plan

    def chunks(self) -> list[str]:
        """The text before the first paragraph, then each paragraph with the breaks after it."""
        cuts = [0, *self.starts, len(self.raw)]
        out = [self.raw[a:b] for a, b in zip(cuts, cuts[1:])]
        return [c if c.endswith("\n") or i == 0 else c + "\n" for i, c in enumerate(out)]

    @property
    def titles(self) -> set[str]:
        return set(titles(self.plan))


@cache
def seed(index: int) -> Seed:
    path = SEED_PATHS[index]
    data = path.read_bytes()
    source = read_bytes(data, path.name)
    raw = source.raw
    starts = set()
    for par in join_paragraphs(split_lines(source.text)):
        at = source.offsets[par.start]
        starts.add(raw.rfind("\n", 0, at) + 1)  # the start of its line, indent included
    starts.discard(0)
    plan = parse_bytes(data, path.name)
    return Seed(path.name, raw, tuple(sorted(starts)), plan)


SEED_INDEXES = st.sampled_from(range(len(SEED_PATHS)))


def test_seeds_parse_cleanly() -> None:
    """The mutants below start from plans the loaders read whole."""
    assert SEED_PATHS, "no seed plans"
    for i in range(len(SEED_PATHS)):
        s = seed(i)
        assert len(s.starts) > 20 and len(s.titles) > 20, s.name
        assert "".join(s.chunks()).rstrip("\n") == s.raw.rstrip("\n")


# --- noise --------------------------------------------------------------------------------------

CONTROLS = [chr(c) for c in range(1, 0x20) if chr(c) not in "\n\r\x0b\x0c"] + ["\x7f"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@cache
def cjk_pool() -> list[str]:
    """Common ideographs that normalise to themselves (no traditional forms, no compatibility)."""
    chars = [chr(cp) for cp in range(0x4E00, 0x9FA6, 7)]
    return [ch for ch in chars if normalize(ch)[0] == ch]


NOISE_CHAR = st.one_of(
    st.sampled_from(CONTROLS),
    st.sampled_from(ZERO_WIDTH),
    st.sampled_from(string.ascii_letters + " "),
    st.deferred(lambda: st.sampled_from(cjk_pool())),
)
NOISE = st.text(alphabet=NOISE_CHAR, min_size=1, max_size=24)
# Anything at all: structure characters, line breaks and NUL included.
ANY_NOISE = st.text(
    alphabet=st.one_of(
        st.characters(max_codepoint=0x7F),
        st.sampled_from(ZERO_WIDTH + list("（）()，,：:；;、。〔〕——一二三四五六七八九十牵头配合负责\u3000")),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(),
    ),
    min_size=1,
    max_size=40,
)


def without(chars: set[str], text: str) -> str:
    return "".join(ch for ch in text if ch not in chars)


@fuzz(70)
@given(index=SEED_INDEXES, data=st.data())
def test_noise_between_paragraphs_invents_no_task(index: int, data: st.DataObject) -> None:
    """Lines of noise between paragraphs: still a plan, and every task title, the noise taken
    out, is a task title of the original."""
    s = seed(index)
    where = data.draw(st.lists(st.sampled_from(s.starts), min_size=1, max_size=5))
    noises = [data.draw(NOISE) for _ in where]
    raw = s.raw
    for at, noise in sorted(zip(where, noises), reverse=True):
        raw = raw[:at] + noise + "\n" + raw[at:]
    plan = parse(raw.encode("utf-8"), s.name, "noise between paragraphs")
    assert plan is not None, "noise between paragraphs lost the whole plan"
    noise_chars = set("".join(noises)) - set("\n")
    originals = {without(noise_chars, t) for t in s.titles}
    for title in titles(plan):
        assert without(noise_chars, title) in originals, f"task invented from noise: {title!r}"


@fuzz(40)
@given(index=SEED_INDEXES, data=st.data())
def test_noise_anywhere_is_no_crash(index: int, data: st.DataObject) -> None:
    """Noise of any kind (NUL, line breaks, brackets, numbering) at any place."""
    s = seed(index)
    raw = s.raw
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw)))
        raw = raw[:at] + data.draw(ANY_NOISE) + raw[at:]
    parse(raw.encode("utf-8", errors="surrogatepass"), s.name, "noise anywhere")


@fuzz(30)
@given(index=SEED_INDEXES, data=st.data())
def test_control_characters(index: int, data: st.DataObject) -> None:
    """Control characters sprinkled through the text: a plan, or 'binary file' when too many."""
    s = seed(index)
    count = data.draw(st.sampled_from([1, 5, 50, 2000]))
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    controls = ["\x00", *CONTROLS, "\x85", "\x0b", "\x0c", "\r"]
    places = sorted((rng.randrange(len(s.raw) + 1) for _ in range(count)), reverse=True)
    raw = s.raw
    for at in places:
        raw = raw[:at] + rng.choice(controls) + raw[at:]
    parse(raw.encode("utf-8"), s.name, "control characters")


# --- cut, drop, repeat, shuffle -----------------------------------------------------------------


PART_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、")


def intro_titles(s: Seed) -> set[str]:
    """First sentences of the actions' own paragraphs that carry a clause ("〔牵头部门：…〕"): an
    action left without task paragraphs is one task of that title (the spec's rule)."""
    out = set()
    for action in s.plan.actions:
        for mention in action.leads:
            line_start = s.raw.rfind("\n", 0, mention.span[0]) + 1
            line_end = s.raw.find("\n", mention.span[0])
            line = s.raw[line_start : line_end if line_end != -1 else len(s.raw)]
            out.add(normalize(line)[0].strip().split("。", 1)[0].strip())
    return out


@fuzz(40)
@given(index=SEED_INDEXES, data=st.data())
def test_cut(index: int, data: st.DataObject) -> None:
    """Truncated at a character or a byte: every task title is (a start of) an original one."""
    s = seed(index)
    encoded = s.raw.encode("utf-8")
    if data.draw(st.booleans()):
        cut = s.raw[: data.draw(st.integers(0, len(s.raw)))].encode("utf-8")
    else:
        cut = encoded[: data.draw(st.integers(0, len(encoded)))]
    plan = parse(cut, s.name, "cut")
    allowed = s.titles | intro_titles(s)  # an action cut before its first task is one task
    for title in titles(plan):
        title = title.rstrip("\ufffd")
        assert any(t.startswith(title) for t in allowed), f"task invented by a cut: {title!r}"


@fuzz(50)
@given(index=SEED_INDEXES, data=st.data())
def test_drop_paragraphs_invents_no_task(index: int, data: st.DataObject) -> None:
    """Whole paragraphs dropped (any but a part heading 一、二、…: without it, the next part reads
    as more of the one before): no task title the original does not have, save the title of an
    action's own paragraph when all its tasks are gone."""
    s = seed(index)
    chunks = s.chunks()
    droppable = [i for i in range(1, len(chunks)) if not PART_HEADING.match(chunks[i])]
    drop = set(data.draw(st.lists(st.sampled_from(droppable), min_size=1, max_size=12)))
    raw = "".join(c for i, c in enumerate(chunks) if i not in drop)
    plan = parse(raw.encode("utf-8"), s.name, "paragraphs dropped")
    allowed = s.titles | intro_titles(s)
    for title in titles(plan):
        assert title in allowed, f"task invented by dropping paragraphs {sorted(drop)}: {title!r}"


@fuzz(30)
@given(index=SEED_INDEXES, data=st.data())
def test_repeat_paragraphs_invents_no_task(index: int, data: st.DataObject) -> None:
    """Paragraphs written twice in a row: no task title the original does not have."""
    s = seed(index)
    chunks = s.chunks()
    repeat = set(data.draw(st.lists(st.integers(1, len(chunks) - 1), min_size=1, max_size=8)))
    times = data.draw(st.integers(2, 4))
    raw = "".join(c * (times if i in repeat else 1) for i, c in enumerate(chunks))
    plan = parse(raw.encode("utf-8"), s.name, "paragraphs repeated")
    assert plan is not None
    for title in titles(plan):
        assert title in s.titles, f"task invented by repeating paragraphs {sorted(repeat)}: {title!r}"


@fuzz(30)
@given(index=SEED_INDEXES, data=st.data())
def test_shuffle_paragraphs(index: int, data: st.DataObject) -> None:
    """Paragraphs in another order (a window of them, or all)."""
    s = seed(index)
    chunks = s.chunks()
    a = data.draw(st.integers(1, len(chunks) - 2))
    b = data.draw(st.integers(a + 1, len(chunks)))
    window = chunks[a:b]
    random.Random(data.draw(st.integers(0, 2**32))).shuffle(window)
    raw = "".join(chunks[:a] + window + chunks[b:])
    parse(raw.encode("utf-8"), s.name, "paragraphs shuffled")


# --- punctuation widths and encodings -----------------------------------------------------------

WIDTH_PAIRS = [("（", "("), ("）", ")"), ("，", ","), ("：", ":"), ("；", ";")]
SWAP = {full: half for full, half in WIDTH_PAIRS} | {half: full for full, half in WIDTH_PAIRS}


def comparable(plan: Plan) -> dict:
    return plan.model_dump(exclude={"source"})


@fuzz(30)
@given(index=SEED_INDEXES, share=st.floats(0.0, 1.0), salt=st.integers(0, 2**32))
def test_punctuation_widths_give_the_same_plan(index: int, share: float, salt: int) -> None:
    """（）/()，/,：/:；/; swapped at random places: the very same plan, spans included."""
    s = seed(index)
    rng = random.Random(salt)
    raw = "".join(SWAP[ch] if ch in SWAP and rng.random() < share else ch for ch in s.raw)
    plan = parse(raw.encode("utf-8"), s.name, "punctuation widths")
    assert plan is not None
    assert comparable(plan) == comparable(s.plan)


@fuzz(30)
@given(index=SEED_INDEXES, data=st.data())
def test_mixed_encodings(index: int, data: st.DataObject) -> None:
    """Part of the file UTF-8 and part GB18030 (either order), at a paragraph or anywhere."""
    s = seed(index)
    at = data.draw(st.one_of(st.sampled_from(s.starts), st.integers(0, len(s.raw))))
    first, second = ("utf-8", "gb18030") if data.draw(st.booleans()) else ("gb18030", "utf-8")
    raw = s.raw[:at].encode(first) + s.raw[at:].encode(second)
    parse(raw, s.name, "mixed encodings")


@fuzz(50)
@given(index=SEED_INDEXES, data=st.data())
def test_flipped_byte(index: int, data: st.DataObject) -> None:
    """One byte changed in a UTF-8 or GB18030 file: at most a couple of titles change."""
    s = seed(index)
    encoded = bytearray(s.raw.encode(data.draw(st.sampled_from(["utf-8", "gb18030"]))))
    at = data.draw(st.integers(0, len(encoded) - 1))
    encoded[at] ^= data.draw(st.integers(1, 255))
    plan = parse(bytes(encoded), s.name, "flipped byte")
    new = [t for t in titles(plan) if t not in s.titles]
    assert len(new) <= 2, f"one flipped byte at {at} gave {len(new)} new task titles: {new}"


# --- random bytes and damaged files -------------------------------------------------------------

SUFFIXES = [".txt", ".docx", ".pdf", ".html", ".htm", ".text", ""]
MAGIC = [b"", b"PK\x03\x04", b"PK\x03\x04word/", b"%PDF-1.4\n", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]


@fuzz(120)
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES), magic=st.sampled_from(MAGIC))
def test_random_bytes_are_no_plan(data: bytes, suffix: str, magic: bytes) -> None:
    """Random bytes under any name, with or without a format's magic bytes: a PlanError. (A
    compound file's header sends the bytes to LibreOffice, another program: a wider bound.)"""
    bound = DOC_BOUND if magic.startswith(b"\xd0\xcf\x11\xe0") else PARSE_BOUND
    assert parse(magic + data, f"random{suffix}", f"random bytes{suffix or ' (no suffix)'}", bound=bound) is None


@fuzz(25)
@given(text=st.text(alphabet=st.sampled_from(list("，。、；\n ")) | st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=3000))
def test_random_cjk_text_is_no_plan(text: str) -> None:
    assert parse(text.encode("utf-8"), "random.txt", "random CJK text") is None


@cache
def built(index: int, fmt: str) -> bytes:
    lines = seed(index).raw.splitlines()
    if fmt == "docx":
        return make_docx(lines)
    if fmt == "pdf":
        return make_pdf(lines)
    return make_html(lines).encode("utf-8")


def damage(data: bytes, draw: st.DataObject) -> bytes:
    how = draw.draw(st.sampled_from(["truncate", "flip", "splice", "zero"]))
    at = draw.draw(st.integers(0, len(data) - 1))
    if how == "truncate":
        return data[:at]
    if how == "flip":
        out = bytearray(data)
        for _ in range(draw.draw(st.integers(1, 20))):
            out[draw.draw(st.integers(0, len(out) - 1))] ^= draw.draw(st.integers(1, 255))
        return bytes(out)
    if how == "splice":
        return data[:at] + draw.draw(st.binary(min_size=1, max_size=512)) + data[at:]
    return data[:at] + bytes(draw.draw(st.integers(1, 4096))) + data[at + 4096 :]


@fuzz(25)
@given(index=SEED_INDEXES, data=st.data())
def test_damaged_docx(index: int, data: st.DataObject) -> None:
    parse(damage(built(index, "docx"), data), "plan.docx", "damaged .docx")


@fuzz(8)
@given(index=SEED_INDEXES, data=st.data())
def test_damaged_pdf(index: int, data: st.DataObject) -> None:
    parse(damage(built(index, "pdf"), data), "plan.pdf", "damaged .pdf")


@fuzz(25)
@given(index=SEED_INDEXES, data=st.data())
def test_damaged_html(index: int, data: st.DataObject) -> None:
    page = built(index, "html")
    if data.draw(st.booleans()):
        page = damage(page, data)
    else:  # tags left open or closed at random
        at = data.draw(st.integers(0, len(page)))
        tags = data.draw(st.lists(st.sampled_from([b"<div>", b"</div>", b"<p>", b"<b>", b"<table><tr><td>", b"<!--", b"<script>", b"</body>"]), max_size=30))
        page = page[:at] + b"".join(tags) + page[at:]
    parse(page, "plan.html", "damaged .html")


def test_docx_that_is_a_zip_of_junk() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document>not xml")
        z.writestr("[Content_Types].xml", "junk")
    assert parse(buf.getvalue(), "junk.docx", "damaged .docx") is None


# --- adversarial inputs: no catastrophic backtracking, nothing quadratic -------------------------


def inside_first_action(s: Seed, extra: str) -> str:
    """The seed with `extra` as a paragraph of its own after the first action's first task."""
    first_action = s.plan.actions[0]
    first_task = first_action.tasks[0]
    at = s.raw.find("\n", first_task.span[1])
    at = len(s.raw) if at == -1 else at
    return s.raw[:at] + "\n" + extra + "\n" + s.raw[at:]


ADVERSARIAL: dict[str, str] = {
    "5 MB single line": "科" * (5_000_000 // 3),
    "5 MB of spaces in one line": "科" + " " * 5_000_000 + "学",
    "100k 、": "、" * 100_000,
    "100k nested （": "（" * 100_000 + "县科协牵头）",
    "nested brackets": "（" * 50_000 + "县科协牵头" + "）" * 50_000,
    "100k ）": "）" * 100_000,
    "等 × 100k in a clause": "2.任务。（" + "等" * 100_000 + "牵头）",
    "5k names in a clause": "2.任务。（" + "、".join(f"县局{n}" for n in range(5_000)) + "牵头）",
    "5k clause segments": "2.任务。（" + "，".join(f"县局{n}配合" for n in range(5_000)) + "）",
    "400 names alike in a clause": "2.任务。（" + "、".join(f"县科{n:04d}{'x' * (n % 2)}局" for n in range(400)) + "牵头）",
    "a 300k-character name": "2.任务。（县" + "科" * 300_000 + "局牵头）",
    "year then spaces": "2021" + " " * 100_000 + "x",
    "year then dashes": "2021" + "-" * 100_000 + "x",
    "target then digits": "比例达到1." + "1" * 100_000 + "x",
    "unclosed bookmarks": "[bookmark:" * 100_000,
    "markdown stars": "**" * 500_000,
    "5k numbered tasks": "\n".join(f"{n % 900 + 2}.任务{n}。（县科协牵头）" for n in range(5_000)),
    "100k page fragments": "学习。\n" + "\n".join(["习"] * 100_000),
    "100k label lines": "\n".join(["成  员：县科协"] * 50_000),
    "3000 jurisdiction-like names": "".join(f"{chr(0x4E00 + n)}{chr(0x5000 + n)}县全民科学素质" for n in range(3000)),
}


@pytest.mark.parametrize("kind", list(ADVERSARIAL))
def test_adversarial_text_is_fast(kind: str) -> None:
    s = seed(0)
    text = inside_first_action(s, ADVERSARIAL[kind])
    plan = parse(text.encode("utf-8"), s.name, "adversarial text", bound=ADVERSARIAL_BOUND)
    assert plan is not None  # the seed around the monster still reads


@pytest.mark.parametrize("kind", list(ADVERSARIAL))
def test_adversarial_text_alone_is_fast(kind: str) -> None:
    parse(ADVERSARIAL[kind].encode("utf-8"), "monster.txt", "adversarial text", bound=ADVERSARIAL_BOUND)


ADVERSARIAL_HTML: dict[str, str] = {
    "100k nested <div>": "<div>" * 100_000 + "x" + "</div>" * 100_000,
    "100k nested <DIV>": "<DIV>" * 100_000 + "x",
    "100k nested <b>": "<b>" * 100_000 + "x",
    "100k nested <span>": "<span>" * 100_000 + "x",
    "100k nested lists": "<ul><li>" * 100_000,
    "100k nested blockquotes": "<blockquote>" * 100_000,
    "100k nested tables": "<table><tr><td>" * 100_000,
    "100k different <font> left open": "".join(f"<font size={n}>" for n in range(100_000)) + "x",
    "reopened <font> in 50k paragraphs": "".join(f"<p><font color={n}>x</p>" for n in range(50_000)),
    "one <b> left open in 20k paragraphs": "<p><b class=q>x</p>" * 20_000,
    "500-deep divs, many": ("<div>" * 500 + "x" + "</div>" * 500) * 200,
    "30k links": "<div>" + "<a href=x>link</a>" * 30_000 + "</div>",
    "20k title-like headings": "<h1 class=title>方案通知</h1>" * 20_000,
}


@pytest.mark.parametrize("kind", list(ADVERSARIAL_HTML))
def test_adversarial_html_is_fast(kind: str) -> None:
    page = f"<html><body>{ADVERSARIAL_HTML[kind]}</body></html>".encode()
    assert parse(page, "monster.html", "adversarial html", bound=ADVERSARIAL_BOUND) is None


def test_html_plan_inside_deep_but_sane_nesting_still_reads() -> None:
    """The depth limit is far above real pages: a plan 100 elements deep still reads."""
    lines = seed(0).raw.splitlines()
    page = make_html(lines).replace('<div id="zoom"', "<div>" * 100 + '<div id="zoom"', 1)
    page = page.replace("</body>", "</div>" * 100 + "</body>", 1)
    plan = parse(page.encode("utf-8"), "deep.html", "adversarial html")
    assert plan is not None and set(titles(plan)) == seed(0).titles


# --- a clause that cannot be read is reported, not lost -----------------------------------------


def bracket_clauses(s: Seed) -> list[tuple[int, int, str]]:
    """(action seq, task seq, title) of each task whose own clause is a bracketed one."""
    out = []
    for action, task in s.plan.tasks():
        if task.clause and task.clause_span and not task.shared_clause:
            closer = s.raw[task.clause_span[1] - 1]
            if closer in "）〕)]":
                out.append((action.seq, task.seq, task.title))
    return out


@pytest.mark.parametrize("index", range(len(SEED_PATHS)), ids=[p.name[:3] for p in SEED_PATHS])
def test_unclosed_clause_is_reported(index: int) -> None:
    """Each task's clause in turn loses its closing bracket: the plan still reads, and its
    warnings name that task (by title) rather than dropping it silently."""
    s = seed(index)
    tasks = {(a.seq, t.seq): t for a, t in s.plan.tasks()}
    cases = bracket_clauses(s)
    if not cases:
        pytest.skip(f"{s.name} writes its clauses on lines of their own")
    for action_seq, task_seq, title in cases:
        end = tasks[(action_seq, task_seq)].clause_span[1]  # type: ignore[index]
        raw = s.raw[: end - 1] + s.raw[end:]
        plan = parse(raw.encode("utf-8"), s.name, "unclosed clause")
        assert plan is not None, f"one unclosed clause ({title}) lost the whole plan"
        named = [w for w in plan.warnings if title in w]
        assert named, f"task {action_seq}.{task_seq} ({title}): clause not closed, no warning names it; warnings: {plan.warnings}"


# --- the newer readers: OFD, .doc, page images ----------------------------------------------------


@cache
def built_ofd(index: int) -> bytes:
    from tests.loaders.builders import make_ofd

    return make_ofd(seed(index).raw.splitlines())


@fuzz(30)
@given(index=SEED_INDEXES, data=st.data())
def test_damaged_ofd(index: int, data: st.DataObject) -> None:
    parse(damage(built_ofd(index), data), "plan.ofd", "damaged .ofd")


@fuzz(20)
@given(index=SEED_INDEXES, data=st.data())
def test_ofd_with_damaged_xml(index: int, data: st.DataObject) -> None:
    """The zip is sound but a page's XML, or the document's, is damaged or hostile."""
    source = zipfile.ZipFile(io.BytesIO(built_ofd(index)))
    names = source.namelist()
    victim = data.draw(st.sampled_from(names))
    payload = source.read(victim)
    how = data.draw(st.sampled_from(["cut", "entity", "garbage-numbers", "junk"]))
    if how == "cut":
        payload = payload[: data.draw(st.integers(0, len(payload)))]
    elif how == "entity":  # an entity expansion ("billion laughs") must not be expanded
        payload = (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;">'
                   b'<!ENTITY z "&y;&y;&y;&y;&y;&y;&y;&y;">]>') + payload.split(b"?>", 1)[-1].replace(b"ofd:TextCode X", b"ofd:TextCode Q")
    elif how == "garbage-numbers":
        payload = re.sub(rb'(Boundary|DeltaX|X|Y|Size)="[^"]*"', lambda m: m.group(1) + b'="g g 1e999 -x nan 5"', payload)
    else:
        payload = data.draw(st.binary(max_size=200))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.writestr(name, payload if name == victim else source.read(name))
    parse(out.getvalue(), "plan.ofd", f"damaged .ofd XML ({how})")


def test_ofd_zip_bomb_is_refused_before_inflating() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Document.xml", b"<a>" + b" " * (300 * 1024 * 1024) + b"</a>")  # 300 MB of blanks, ~300 kB zipped
    with pytest.raises(PlanError, match="inflates|compressed"):
        parse_bytes(out.getvalue(), "bomb.ofd")


def test_ofd_with_too_many_pages_is_refused() -> None:
    out = io.BytesIO()
    pages = "".join(f'<ofd:Page ID="{i}" BaseLoc="Pages/Page_0/Content.xml"/>' for i in range(5000))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Document.xml", f'<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages>{pages}</ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/Pages/Page_0/Content.xml", '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"/>')
    with pytest.raises(PlanError, match="5000 pages"):
        parse_bytes(out.getvalue(), "long.ofd")


@cache
def built_doc(index: int) -> bytes:
    import tempfile
    from pathlib import Path

    from tests.loaders.builders import make_doc

    with tempfile.TemporaryDirectory() as folder:
        return make_doc(seed(index).raw.splitlines(), Path(folder))


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")
@fuzz(4)
@given(data=st.data())
def test_damaged_doc(data: st.DataObject) -> None:
    """A Word 97 file damaged anywhere: LibreOffice reads it or refuses it, never garbage text."""
    parse(damage(built_doc(0), data), "plan.doc", "damaged .doc", bound=DOC_BOUND)


@cache
def small_page() -> bytes:
    """A small page image with a few lines of a plan drawn on it."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (320, 120), 255)
    draw = ImageDraw.Draw(image)
    for y in (20, 50, 80):
        draw.rectangle((20, y, 300, y + 12), fill=0)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


IMAGE_SUFFIXES = [".png", ".jpg", ".tif"]
IMAGE_MAGIC = [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"II*\x00", b"MM\x00*"]


@fuzz(40)
@given(data=st.binary(max_size=2048), suffix=st.sampled_from(IMAGE_SUFFIXES), magic=st.sampled_from(IMAGE_MAGIC))
def test_random_bytes_named_as_images_are_no_plan(data: bytes, suffix: str, magic: bytes) -> None:
    assert parse(magic + data, f"scan{suffix}", "random image bytes") is None


@fuzz(12)
@given(data=st.data())
def test_damaged_page_image_is_no_plan(data: st.DataObject) -> None:
    """A page image damaged anywhere: refused, or read (by OCR) as no plan."""
    assert parse(damage(small_page(), data), "scan.png", "damaged image", bound=4 * PARSE_BOUND) is None


def test_image_claiming_billions_of_pixels_is_refused() -> None:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 10_000, 8_000, 8, 0, 0, 0, 0)  # 80 Mpx: under Pillow's own bound
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(1000))) + chunk(b"IEND", b"")
    with pytest.raises(PlanError, match="pixels"):
        parse_bytes(png, "huge.png")


def test_ofd_with_a_broken_deflate_stream_is_refused() -> None:
    """A member whose compressed bytes are damaged (zlib's "invalid block type") is a ReadError."""
    data = bytearray(built_ofd(0))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    member = archive.getinfo("Doc_0/Pages/Page_0/Content.xml")
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    data[start : start + 8] = b"\xff" * 8  # the first deflate block's header and more
    assert parse(bytes(data), "plan.ofd", "damaged .ofd") is None
