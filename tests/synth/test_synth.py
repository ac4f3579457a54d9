"""The synthetic corpus: reproducible, true to its manifest, and read back exactly by the loader.

Why: scale tests and benchmarks (issue 7) take ``manifest.json`` as the truth about each synthetic
plan. The first tests check that this truth is really written in the text and that the corpus has
the variety it claims; the recovery tests then parse a few hundred plans with
``plangraph.loaders.parse_file`` and compare every fact, one test per plan (``plan017`` names the
plan that differs, and its message lists each differing action and task), plus one summary test
that counts the kinds of difference over the whole sample.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest

from plangraph.graph.places import division_by_code

from plangraph.loaders import parse_bytes
from plangraph.synth import Facts, generate, read_manifest, write_corpus

ROLES = ("lead", "support", "responsible")
RECOVERY_PLANS = 200
RECOVERY_SEED = 7
SHOWN_DIFFS = 25
TO_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "："})


@cache
def corpus(n: int, seed: int) -> tuple[tuple[str, str, Facts], ...]:
    return tuple(generate(n, seed))


def norm(text: str) -> str:
    """Half-width clause punctuation as the full-width form (web copies write either)."""
    return text.translate(TO_FULL_WIDTH).strip()


def group_key(name: str) -> str:
    """A group's name without 各成员单位: "X领导小组各成员单位" and "X领导小组" are one group."""
    name = norm(name)
    for suffix in ("各成员单位", "成员单位"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def all_names(facts: Facts) -> Iterable[str]:
    """Every agency or group name the manifest says is written in the plan."""
    for action in facts["actions"]:
        yield from action["leads"]
        for task in action["tasks"]:
            for role in ROLES:
                yield from task[role]
    for group in facts["groups"]:
        yield from group["members"]
    yield from facts["aliases"]


# ------------------------------------------------------------------------------------------------
# The generator itself


def test_same_seed_gives_the_same_bytes() -> None:
    first = [(name, text) for name, text, _ in generate(25, seed=3)]
    second = [(name, text) for name, text, _ in generate(25, seed=3)]
    assert first == second


def test_another_seed_gives_other_plans() -> None:
    a = [text for _, text, _ in generate(10, seed=0)]
    b = [text for _, text, _ in generate(10, seed=1)]
    assert all(x != y for x, y in zip(a, b))


def test_a_shorter_corpus_is_a_prefix_of_a_longer_one() -> None:
    short = [name for name, _, _ in generate(10, seed=5)]
    long = [name for name, _, _ in generate(40, seed=5)]
    assert long[:10] == short


def test_write_corpus_writes_the_generated_files_and_manifest(tmp_path: Path) -> None:
    manifest = write_corpus(12, tmp_path, seed=2)
    facts = read_manifest(manifest)
    expected = list(generate(12, seed=2))
    assert [f["source"]["file"] for f in facts] == [name for name, _, _ in expected]
    for (name, text, want), got in zip(expected, facts):
        assert (tmp_path / name).read_bytes() == text.encode("utf-8")
        assert got == orjson.loads(orjson.dumps(want))
    again = tmp_path / "again"
    write_corpus(12, again, seed=2)
    assert (again / "manifest.json").read_bytes() == manifest.read_bytes()


def test_manifest_has_the_plan_json_shape() -> None:
    for name, text, facts in corpus(150, 0):
        assert facts["source"]["file"] == name
        assert set(facts["jurisdiction"]) == {"name", "level", "province", "parent_city", "division", "code"}
        assert facts["jurisdiction"]["level"] in {"county", "city", "district"}
        assert 8 <= len(facts["actions"]) <= 12, name
        assert [a["seq"] for a in facts["actions"]] == list(range(1, len(facts["actions"]) + 1))
        keys = [a["key"] for a in facts["actions"]]
        assert len(keys) == len(set(keys)), name
        for action in facts["actions"]:
            assert action["part"] in {"提升行动", "重点工程"}
            assert 1 <= len(action["tasks"]) <= 6
            assert [t["seq"] for t in action["tasks"]] == list(range(1, len(action["tasks"]) + 1))
        assert all(isinstance(g["members"], list) for g in facts["groups"])
        assert all(isinstance(v, str) for v in facts["aliases"].values())


def test_every_fact_is_written_in_the_text() -> None:
    for name, text, facts in corpus(200, 0):
        assert facts["jurisdiction"]["name"] in text, name
        j = facts["jurisdiction"]
        assert j["province"] in text, name
        if j["code"] is None:  # an invented place's city is a fact only where the text cites it
            assert j["parent_city"] is None or j["parent_city"] in text, name
        else:  # a real one's parents are the gazetteer's, cited or not
            d = division_by_code(j["code"])
            assert d is not None and (d.name, d.parent_city, d.province) == (j["name"], j["parent_city"], j["province"])
        for action in facts["actions"]:
            assert action["title"] in text, (name, action["title"])
            for task in action["tasks"]:
                assert task["title"] in text, (name, task["title"])
        for spelling in all_names(facts):
            assert spelling in text, (name, spelling)
        for group in facts["groups"]:
            assert group["name"] in text or group["name"].translate(str.maketrans("（）", "()")) in text, (name, group["name"])
        if facts["literacy_target_percent"] is not None:
            assert f"{facts['literacy_target_percent']:g}%" in text, name


def test_task_titles_are_first_sentences_of_their_paragraphs() -> None:
    for name, text, facts in corpus(100, 0):
        for action in facts["actions"]:
            for task in action["tasks"]:
                assert task["title"] + "。" in text, (name, task["title"])
                assert "。" not in task["title"]


def test_jurisdictions_are_unique_and_levels_like_chinas() -> None:
    plans = corpus(400, 0)
    names = [f["jurisdiction"]["name"] for _, _, f in plans]
    assert len(names) == len(set(names))
    levels = Counter(f["jurisdiction"]["level"] for _, _, f in plans)
    assert levels["county"] / len(plans) > 0.8
    assert levels["city"] > 0
    assert len({name for name, _, _ in plans}) == len(plans)


def test_corpus_has_every_layout_form_and_kind_of_mess() -> None:
    plans = corpus(400, 0)
    synth = [f["synth"] for _, _, f in plans]
    assert {s["layout"] for s in synth} == {"numbered", "running", "dash", "plain"}
    assert {s["form"] for s in synth} == {"paren", "unit", "lines", "bracket"}
    tasks = [t for _, _, f in plans for a in f["actions"] for t in a["tasks"]]
    assert {t["clause_form"] for t in tasks} == {"A", "B", "C", "D", "E", None}
    assert any(a["leads"] for _, _, f in plans for a in f["actions"]), "no 〔牵头部门：…〕 action leads"
    assert any(t["shared_clause"] for t in tasks)
    for flag in ("pdf", "half_width", "member_list", "notice", "crlf", "bom"):
        assert any(s[flag] for s in synth), flag
    assert any(s["title"] == "none" for s in synth)
    groups = {group_key(g["name"]) for _, _, f in plans for g in f["groups"]}
    assert any(g.endswith("领导小组") for g in groups) and "县级各部门" in groups and "各乡镇（街道）" in groups
    variants = [(k, v) for _, _, f in plans for k, v in f["aliases"].items() if k != v]
    assert any(not k.startswith(("县", "市", "区", "团")) for k, _ in variants), "no spelling without its prefix"
    assert any(len(k) > len(v) + 2 for k, v in variants), "no long form"
    texts = "".join(text for _, text, _ in plans)
    assert "等党委配合" in texts and "按职责分工〕" in texts


def test_pdf_plans_have_broken_lines_and_fragments() -> None:
    pdf = [(text, f) for _, text, f in corpus(400, 0) if f["synth"]["pdf"]]
    assert pdf
    broken = [t for t, _ in pdf if any(line and line[-1] not in "。：；）〕”" and len(line) > 20 and not line.startswith(("牵头", "配合", "（", "(")) for line in t.splitlines())]
    assert broken
    fragments = [t for t, _ in pdf if any(len(line) == 1 for line in t.splitlines())]
    assert fragments


def test_plans_are_the_size_of_real_ones() -> None:
    sizes = [len(text.encode("utf-8")) for _, text, _ in corpus(200, 0)]
    assert 24_000 <= statistics.median(sizes) <= 35_000
    assert min(sizes) > 12_000 and max(sizes) < 50_000


def test_cli_writes_a_corpus(tmp_path: Path) -> None:
    typer_testing = pytest.importorskip("typer.testing")
    try:
        from plangraph.cli import app
    except ImportError as exc:  # another command module of the CLI is not there yet
        pytest.skip(f"plangraph.cli does not import: {exc}")
    result = typer_testing.CliRunner().invoke(app, ["synth", "6", "-o", str(tmp_path), "--seed", "4"])
    assert result.exit_code == 0, result.output
    facts = read_manifest(tmp_path / "manifest.json")
    assert [f["source"]["file"] for f in facts] == [name for name, _, _ in generate(6, seed=4)]


# ------------------------------------------------------------------------------------------------
# The loader reads the true facts back


@pytest.fixture(scope="module")
def recovery(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A few hundred synthetic plans on disk, their manifest, and each parsed once (lazily)."""
    folder = tmp_path_factory.mktemp("synth_corpus")
    facts = read_manifest(write_corpus(RECOVERY_PLANS, folder, seed=RECOVERY_SEED))
    return {"folder": folder, "facts": facts, "parsed": {}}


def parsed_plan(recovery: dict[str, Any], index: int) -> dict[str, Any]:
    """The loader's plan JSON for one synthetic plan ({"error": …} when it raised)."""
    from plangraph.loaders import parse_file

    cache_ = recovery["parsed"]
    if index not in cache_:
        path = recovery["folder"] / recovery["facts"][index]["source"]["file"]
        try:
            plan = parse_file(path)
            cache_[index] = plan.model_dump(mode="json") if hasattr(plan, "model_dump") else dict(plan)
        except Exception as exc:  # noqa: BLE001 - a failure is a finding, reported per plan
            cache_[index] = {"error": f"{type(exc).__name__}: {exc}"}
    return cache_[index]


def spelling_ids(plan: dict[str, Any]) -> dict[str, set[str]]:
    """Every spelling the loader read -> the agency ids it gave it."""
    ids: dict[str, set[str]] = {}
    mentions = [m for a in plan.get("actions", []) for m in a.get("leads", [])]
    mentions += [m for a in plan.get("actions", []) for t in a.get("tasks", []) for r in ROLES for m in t.get(r, [])]
    for m in mentions:
        ids.setdefault(norm(m["name"]), set()).add(m["agency_id"])
    for agency in plan.get("agencies", []):
        for spelling in [agency.get("name", ""), *agency.get("spellings", [])]:
            ids.setdefault(norm(spelling), set()).add(agency["id"])
    return ids


def compare_plan(facts: Facts, plan: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, message) for every fact the loader read differently from the manifest."""
    if "error" in plan:
        return [("error", plan["error"])]
    diffs = compare_header(facts, plan)
    expected, got = facts["actions"], plan.get("actions", [])
    if [a["key"] for a in expected] != [a["key"] for a in got]:
        diffs.append(("action keys", f"action keys expected {[a['key'] for a in expected]} got {[a['key'] for a in got]}"))
    for want, have in zip(expected, got):
        diffs += compare_action(want, have)
    diffs += compare_groups(facts, plan)
    diffs += compare_aliases(facts, plan)
    return diffs


def compare_header(facts: Facts, plan: dict[str, Any]) -> list[tuple[str, str]]:
    diffs = []
    want, have = facts["jurisdiction"], plan.get("jurisdiction", {})
    for field in ("name", "level", "province", "parent_city", "division", "code"):
        if want[field] != have.get(field):
            diffs.append((f"jurisdiction {field}", f"jurisdiction.{field} expected {want[field]!r} got {have.get(field)!r}"))
    if facts["period"] is not None and facts["period"] != plan.get("period"):
        diffs.append(("period", f"period expected {facts['period']!r} got {plan.get('period')!r}"))
    if facts["literacy_target_percent"] != plan.get("literacy_target_percent"):
        diffs.append(("target", f"literacy target expected {facts['literacy_target_percent']} got {plan.get('literacy_target_percent')}"))
    return diffs


def names_of(mentions: list[dict[str, Any]]) -> list[str]:
    return [norm(m["name"]) for m in mentions]


def compare_action(want: Facts, have: dict[str, Any]) -> list[tuple[str, str]]:
    where = f"action {want['seq']} ({want['key']})"
    one_paragraph = want.get("single_paragraph", False)
    if one_paragraph:
        where += " [one paragraph, no task paragraphs]"
    diffs = []
    if norm(want["title"]) != norm(have.get("title", "")):
        diffs.append(("action title", f"{where}: title expected {want['title']!r} got {have.get('title')!r}"))
    if want["part"] not in have.get("part", ""):
        diffs.append(("action part", f"{where}: part expected {want['part']!r} got {have.get('part')!r}"))
    if [norm(n) for n in want["leads"]] != names_of(have.get("leads", [])):
        diffs.append(("action leads", f"{where}: action leads expected {want['leads']} got {names_of(have.get('leads', []))}"))
    titles = [norm(t["title"]) for t in want["tasks"]]
    got_titles = [norm(t.get("title", "")) for t in have.get("tasks", [])]
    if titles != got_titles:
        kind = "task titles (one-paragraph action)" if one_paragraph else "task titles"
        diffs.append((kind, f"{where}: task titles expected {titles} got {got_titles}"))
    for task, got in zip(want["tasks"], have.get("tasks", [])):
        for role in ROLES:
            expected = [norm(n) for n in task[role]]
            if expected != names_of(got.get(role, [])):
                form = task["clause_form"] or "no clause"
                shared = ", shared clause" if task["shared_clause"] else ""
                diffs.append((f"task {role} ({form}{shared})", f"{where} task {task['seq']} {task['title']!r} [{form}{shared}]: {role} expected {expected} got {names_of(got.get(role, []))}"))
    return diffs


def compare_groups(facts: Facts, plan: dict[str, Any]) -> list[tuple[str, str]]:
    want = {group_key(g["name"]): g["members"] for g in facts["groups"]}
    have: dict[str, list[set[str]]] = {}
    for g in plan.get("groups", []):
        have.setdefault(group_key(g["name"]), []).append(set(g.get("members", [])))
    diffs = []
    if set(want) != set(have):
        diffs.append(("groups", f"groups expected {sorted(want)} got {sorted(have)}"))
    ids = spelling_ids(plan)
    for name, members in want.items():
        if not members or name not in have:
            continue
        expected = {i for m in members for i in ids.get(norm(m), {f"<{m} not read>"})}
        linked = [found for found in have[name] if found]
        if not linked or any(found != expected for found in linked):
            diffs.append(("group members", f"group {name}: members expected {sorted(expected)} got {[sorted(f) for f in have[name]]}"))
    return diffs


def compare_aliases(facts: Facts, plan: dict[str, Any]) -> list[tuple[str, str]]:
    ids = spelling_ids(plan)
    variants: dict[str, str] = facts["synth"].get("variants", {})
    by_body: dict[str, list[str]] = {}
    for spelling, canonical in facts["aliases"].items():
        by_body.setdefault(canonical, []).append(spelling)
    diffs = []
    owner: dict[str, str] = {}
    for canonical, spellings in sorted(by_body.items()):
        found = {i for s in spellings for i in ids.get(norm(s), set())}
        missing = [s for s in spellings if norm(s) not in ids]
        if missing:
            diffs.append(("alias not read", f"spellings {missing} of {canonical} were not read"))
        if len(found) > 1:
            kinds = "/".join(sorted({variants.get(s, "usual") for s in spellings} - {"usual"}))
            shown = [f"{s} ({variants[s]})" if s in variants else s for s in sorted(spellings)]
            diffs.append((f"alias split ({kinds})", f"spellings {shown} of one body got ids {sorted(found)}"))
        for agency in found:
            if agency in owner and owner[agency] != canonical:
                diffs.append(("alias merged", f"{owner[agency]} and {canonical} (two bodies) got one id {agency}"))
            owner.setdefault(agency, canonical)
    return diffs


def describe(facts: Facts) -> str:
    s = facts["synth"]
    flags = [k for k in ("pdf", "half_width", "member_list", "crlf", "bom") if s[k]]
    return (
        f"{facts['source']['file']} ({facts['jurisdiction']['name']}; layout={s['layout']} form={s['form']} "
        f"title={s['title']} groups={s['group_mode']}{' ' + ' '.join(flags) if flags else ''})"
    )


@pytest.mark.parametrize("index", range(RECOVERY_PLANS), ids=[f"plan{i:03d}" for i in range(RECOVERY_PLANS)])
def test_loader_recovers_the_true_facts(recovery: dict[str, Any], index: int) -> None:
    facts = recovery["facts"][index]
    diffs = compare_plan(facts, parsed_plan(recovery, index))
    if diffs:
        shown = "\n  - ".join(message for _, message in diffs[:SHOWN_DIFFS])
        more = f"\n  … and {len(diffs) - SHOWN_DIFFS} more" if len(diffs) > SHOWN_DIFFS else ""
        pytest.fail(f"{describe(facts)} differs from its manifest in {len(diffs)} facts:\n  - {shown}{more}", pytrace=False)


def test_loader_recovery_summary(recovery: dict[str, Any]) -> None:
    """Over the whole sample: which kinds of fact differ, in how many plans (the big picture)."""
    kinds: Counter[str] = Counter()
    plans_by_kind: dict[str, set[int]] = {}
    exact = 0
    for index, facts in enumerate(recovery["facts"]):
        diffs = compare_plan(facts, parsed_plan(recovery, index))
        exact += not diffs
        for kind, _ in diffs:
            kinds[kind] += 1
            plans_by_kind.setdefault(kind, set()).add(index)
    if kinds:
        lines = "\n".join(f"  {kind}: {count} differences in {len(plans_by_kind[kind])} plans" for kind, count in kinds.most_common())
        pytest.fail(f"{exact}/{len(recovery['facts'])} synthetic plans recovered exactly; differences by kind:\n{lines}", pytrace=False)


def test_loader_reads_the_jurisdiction_of_a_thousand_plans() -> None:
    """Plans without a title name their place once, after words like "时期" or "负责领导本县"."""
    wrong = []
    for name, text, facts in generate(1000, seed=0):
        plan = parse_bytes(text.encode("utf-8"), name)
        if plan.jurisdiction.name != facts["jurisdiction"]["name"]:
            wrong.append((name, facts["jurisdiction"]["name"], plan.jurisdiction.name))
    assert not wrong, wrong[:10]
