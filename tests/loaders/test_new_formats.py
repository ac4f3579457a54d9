"""Plans as county offices publish them: Word 97 .doc and WPS .wps, OFD, text copied out of a PDF
(fixed-width lines, no indentation), and plans whose responsibilities sit in a task table.

Every copy is built from a seed inside the test, the way an office makes it (LibreOffice saving a
.docx with indented paragraphs as .doc; an OFD written per GB/T 33190's structure; a table whose
rows carry what the seed's clauses say, from the oracle ``tests/seed_truth.py``), and must give the
seed's facts exactly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from plangraph.graph.model import Plan
from plangraph.loaders import parse_bytes, parse_file
from plangraph.loaders.read import read_bytes
from tests.conftest import SEED_PATHS
from tests.loaders.builders import (
    OFD_SIZE,
    OFD_WIDTH,
    TaskTable,
    make_doc,
    make_docx_with_table,
    make_html_with_table,
    make_ofd,
    make_wrapped_text,
)
from tests.loaders.test_formats_facts import facts, same_agency_grouping
from tests.seed_truth import EXPECTED

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (scripts/setup.sh)")
SEED_IDS = [p.name[:3] for p in SEED_PATHS]


@pytest.fixture(scope="module")
def originals() -> dict[Path, Plan]:
    return {p: parse_file(p) for p in SEED_PATHS}


def _lines(seed: Path) -> list[str]:
    return seed.read_text(encoding="utf-8").split("\n")


def _same(plan: Plan, original: Plan) -> None:
    assert facts(plan) == facts(original)
    assert same_agency_grouping(plan) == same_agency_grouping(original)


# --- .doc / .wps ----------------------------------------------------------------------------------


@needs_soffice
@pytest.mark.parametrize("seed", SEED_PATHS, ids=SEED_IDS)
def test_doc_saved_by_libreoffice_gives_the_seed_facts(seed: Path, tmp_path: Path, originals: dict[Path, Plan]) -> None:
    data = make_doc(_lines(seed), tmp_path)
    assert data.startswith(b"\xd0\xcf\x11\xe0")  # a Word 97 compound file, not a renamed .docx
    path = tmp_path / "plan.doc"
    path.write_bytes(data)
    plan = parse_file(path)
    assert plan.source.format == "doc"
    _same(plan, originals[seed])


@needs_soffice
def test_wps_in_words_binary_format_gives_the_seed_facts(tmp_path: Path, originals: dict[Path, Plan]) -> None:
    """WPS Office writes .wps in Word's binary format: the same bytes under the .wps name."""
    seed = SEED_PATHS[2]
    plan = parse_bytes(make_doc(_lines(seed), tmp_path), "plan.wps")
    assert plan.source.format == "wps"
    _same(plan, originals[seed])


def test_doc_without_libreoffice_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from plangraph.loaders import ReadError

    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(ReadError, match=r"plan\.doc: .*libreoffice-writer-nogui"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "plan.doc")


# --- OFD ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_PATHS, ids=SEED_IDS)
@pytest.mark.parametrize("split_runs", [True, False], ids=["runs", "lines"])
def test_ofd_gives_the_seed_facts(seed: Path, split_runs: bool, originals: dict[Path, Plan]) -> None:
    plan = parse_bytes(make_ofd(_lines(seed), split_runs), "plan.ofd")
    assert plan.source.format == "ofd"
    _same(plan, originals[seed])


def test_ofd_spans_point_at_the_page_and_box_of_their_text() -> None:
    """Every mention's span lies in a line whose page and box are where the OFD put that text."""
    seed = SEED_PATHS[0]
    lines = _lines(seed)
    source = read_bytes(make_ofd(lines), "plan.ofd")
    plan = parse_bytes(make_ofd(lines), "plan.ofd")
    assert source.format == "ofd" and source.regions
    drawn = {line.strip()[i : i + OFD_WIDTH] for line in lines for i in range(0, len(line.strip()), OFD_WIDTH)}
    pages = {r.page for r in source.regions}
    assert pages == set(range(1, max(pages) + 1)) and max(pages) > 5
    for _, task in plan.tasks():
        for _, m in task.mentions():
            region = source.region_of(m.span[0])
            assert region is not None
            x0, top, x1, bottom = region.box
            assert 20.0 <= x0 and x1 <= 20.0 + 36 * OFD_SIZE and bottom - top <= OFD_SIZE + 0.01
            assert "".join(source.raw[m.span[0] : m.span[1]].split()) == m.name  # a name may break at a line's end
            text = source.raw[region.start : region.end]
            assert text.lstrip("\u3000") in drawn  # the line the builder drew in that box
            assert x0 == pytest.approx(20.0 + (2 * OFD_SIZE if text.startswith("\u3000") else 0.0))


# --- text copied out of a PDF ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_PATHS, ids=SEED_IDS)
@pytest.mark.parametrize("width", [34, 50])
def test_wrapped_text_without_indent_gives_the_seed_facts(seed: Path, width: int, originals: dict[Path, Plan]) -> None:
    plan = parse_bytes(make_wrapped_text(_lines(seed), width).encode("utf-8"), "plan.txt")
    _same(plan, originals[seed])


# --- task tables ----------------------------------------------------------------------------------

TABLE_SEED = SEED_PATHS[0]  # 000: every task closes with "（A牵头，B配合）"


def _table_from_oracle(seed_id: str) -> TaskTable:
    """The seed's responsibilities as a task table, from the oracle (never from the parser)."""
    return [(a.title, [(t.title, t.lead, t.support) for t in a.tasks]) for a in EXPECTED[seed_id].actions]


def _body_without_clauses(seed: Path, original: Plan) -> list[str]:
    """The seed's text with every task's clause cut out (its place found by the parse of the seed,
    which test_seeds proves right), as a plan whose clauses were moved to a table is written."""
    text = seed.read_text(encoding="utf-8")
    cuts = sorted({t.clause_span for _, t in original.tasks() if t.clause_span}, reverse=True)
    for start, end in cuts:
        text = text[:start] + text[end:]
    return text.split("\n")


def _oracle_facts(seed_id: str) -> list[tuple]:
    return [(a.key, a.title, tuple((t.title, tuple(t.lead), tuple(t.support)) for t in a.tasks)) for a in EXPECTED[seed_id].actions]


def _plan_facts(plan: Plan) -> list[tuple]:
    return [(a.key, a.title, tuple((t.title, tuple(m.name for m in t.lead), tuple(m.name for m in t.support)) for t in a.tasks)) for a in plan.actions]


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_appendix_task_table_gives_the_seed_facts(kind: str, originals: dict[Path, Plan]) -> None:
    original = originals[TABLE_SEED]
    body = _body_without_clauses(TABLE_SEED, original)
    clauses = [t.clause for _, t in original.tasks() if t.clause]
    assert len(clauses) == 32 and not any(c in "\n".join(body) for c in clauses)  # every clause moved out
    table = _table_from_oracle("000")
    if kind == "docx":
        plan = parse_bytes(make_docx_with_table(body, table), "plan.docx")
    else:
        plan = parse_bytes(make_html_with_table(body, table).encode("utf-8"), "plan.html")
    assert _plan_facts(plan) == _oracle_facts("000")
    assert facts(plan) == facts(original)
    assert not [w for w in plan.warnings if "no responsibility clause" in w]


def test_task_table_spans_point_into_its_cells(originals: dict[Path, Plan]) -> None:
    original = originals[TABLE_SEED]
    data = make_docx_with_table(_body_without_clauses(TABLE_SEED, original), _table_from_oracle("000"))
    source = read_bytes(data, "plan.docx")
    plan = parse_bytes(data, "plan.docx")
    appendix = source.raw.index("重点任务分工表")
    for _, task in plan.tasks():
        for _, m in task.mentions():
            assert m.span[0] > appendix  # in the table, after the body
            assert source.raw[m.span[0] : m.span[1]] == m.name


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_plan_that_is_only_a_task_table(kind: str) -> None:
    """A plan of a title, an opening paragraph and its task table: tasks come from the rows."""
    lines = _lines(TABLE_SEED)
    opening = [line for line in lines[:6] if line.strip()][:2]
    table = _table_from_oracle("000")
    if kind == "docx":
        plan = parse_bytes(make_docx_with_table(opening, table, "“十四五”全民科学素质行动重点任务分工", marker=None), "plan.docx")
    else:
        plan = parse_bytes(make_html_with_table(opening, table, "重点任务分工", marker=None).encode("utf-8"), "plan.html")
    assert plan.jurisdiction.name == EXPECTED["000"].name
    assert _plan_facts(plan) == _oracle_facts("000")


# --- the name rule --------------------------------------------------------------------------------


def test_a_list_of_phrases_is_no_agency_but_a_warning() -> None:
    """The issue's case: task text run into a clause is not read as agencies."""
    from plangraph.loaders.clauses import parse_clause

    inner = "经常开展不同层次、不同形式的农民培训教育指导活动，举办农民技能大赛、科学素质网络竞赛，县农业农村局、县科协牵头"
    clause = parse_clause(inner, 0)
    assert [(n.role, n.name) for n in clause.names] == [("lead", "县农业农村局"), ("lead", "县科协")]
    assert any("不同形式的农民培训教育指导活动" in w for w in clause.warnings)
    assert any("举办农民技能大赛" in w for w in clause.warnings)


def _agency_names(plan: Plan) -> set[str]:
    return {spelling for agency in plan.agencies for spelling in agency.spellings}


def test_every_agency_of_seeds_copies_and_synthetic_plans_passes_the_name_rule(originals: dict[Path, Plan]) -> None:
    """No agency read from a seed, from its OFD and wrapped-text copies, or from a synthetic plan
    fails the organisation-name rule (graph/data/agency_names.yaml)."""
    from plangraph.loaders.agency_names import looks_like_agency
    from plangraph.synth import generate

    plans: list[tuple[str, Plan]] = [(p.name, plan) for p, plan in originals.items()]
    for seed in SEED_PATHS:
        plans.append((f"{seed.name} (ofd)", parse_bytes(make_ofd(_lines(seed)), "plan.ofd")))
        plans.append((f"{seed.name} (wrapped)", parse_bytes(make_wrapped_text(_lines(seed)).encode(), "plan.txt")))
    for name, text, _ in generate(60, 18):
        plans.append((name, parse_bytes(text.encode("utf-8"), name)))
    failing = sorted({(where, n) for where, plan in plans for n in _agency_names(plan) if not looks_like_agency(n)})
    assert not failing, failing
    assert sum(len(_agency_names(plan)) for _, plan in plans) > 1000


def test_parse_json_carries_the_format_of_each_file(tmp_path: Path) -> None:
    """``plangraph parse --json`` as a user runs it: each file's source.format says how it was
    read; a folder load picks up every readable suffix (the .ofd here)."""
    import json
    import subprocess
    import sys

    seed = SEED_PATHS[1]
    files = {
        "plan.ofd": make_ofd(_lines(seed)),
        "plan.txt": make_wrapped_text(_lines(seed)).encode("utf-8"),
        "table.html": make_html_with_table(_lines(TABLE_SEED)[:3], _table_from_oracle("000")).encode("utf-8"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    paths = [tmp_path / name for name in files]
    result = subprocess.run([sys.executable, "-m", "plangraph", "parse", *map(str, paths), "--json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    formats = {p["source"]["file"]: p["source"]["format"] for p in json.loads(result.stdout)}
    assert formats == {"plan.ofd": "ofd", "plan.txt": "txt", "table.html": "html"}
    from plangraph.loaders import plan_files

    assert plan_files(tmp_path) == sorted(paths)
