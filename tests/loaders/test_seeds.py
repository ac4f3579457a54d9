"""Ground truth for the five seed plans in ``../shared/seeds``.

Every expected value below was written by reading the plans themselves (their "提升行动" and
"重点工程" parts), following ``../shared/spec/extraction.md`` and ``plan-json.md``; none was copied
from parser output. Tests read the seed files at run time; they only quote agency names and
task / action titles.

Conventions encoded here (from the spec):
- action title = heading without its number, as written; actions are numbered through the plan,
  tasks within their action (004 numbers its tasks 1..34 through the whole plan, but ``Task.seq``
  restarts at 1 in every action);
- task title = the first sentence up to the first "。", without number or dash;
- roles follow the clause form: "A、B牵头，C、D等单位配合" -> lead/support;
  "牵头单位：A，责任单位：C" -> lead/support; "牵头部门：A" / "配合部门：C" lines -> lead/support;
  "〔A、B，C、D按职责分工负责〕" (full-width "，") -> lead/support; "〔A、B按职责分工负责〕" (no split)
  -> responsible; "〔牵头部门：A、B〕" closing an action's intro paragraph -> ``Action.leads``;
- names are as written after removing 等单位 / 等 / 按职责分工负责 / 按职责分工 (and typos like
  等党委); a name repeated within one list is kept once (the first);
- group references ("…领导小组各成员单位", "县级各部门", "各乡镇（街道）") are mentions whose agency has
  ``is_group=True``.

Edge counts ("lead edges" etc.) are the number of Mention objects over all tasks' role lists; the
action-level ``Action.leads`` are counted separately.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from plangraph.loaders import parse_file

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"

ROLES = ("lead", "support", "responsible")


# --------------------------------------------------------------------------------------------
# The expected data
# --------------------------------------------------------------------------------------------


from tests.seed_truth import (  # noqa: F401 - the oracle, shared with the API and map tests
    DISTINCT_AGENCIES, EA, ES, ET, EXPECTED, G001, GROUP_000_MEMBERS, GROUP_NAMES, PART_WORDS,
    SAME_AGENCY, SEED_IDS, T, names,
)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def seed_file(seed: str) -> Path:
    found = sorted(SEEDS.glob(f"{EXPECTED[seed].prefix}*.txt"))
    want = f"{EXPECTED[seed].prefix}*.txt"
    assert len(found) == 1, f"expected one seed file {want} in {SEEDS}: {found}"
    return found[0]


def raw_text(seed: str) -> str:
    """The decoded source text the spans index into (UTF-8; none of the seeds has a BOM, but strip
    one if present)."""
    text = seed_file(seed).read_bytes().decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


def role_names(task, role: str) -> list[str]:
    return [m.name for m in getattr(task, role)]


def all_mentions(plan):
    """(action, task, role, mention) over all tasks, plus action-level leads with task=None."""
    out = []
    for action in plan.actions:
        for m in action.leads:
            out.append((action, None, "action_lead", m))
        for task in action.tasks:
            for role in ROLES:
                for m in getattr(task, role):
                    out.append((action, task, role, m))
    return out


def ids_by_name(plan) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for _, _, _, m in all_mentions(plan):
        out.setdefault(m.name, set()).add(m.agency_id)
    return out


def the_id(plan, name: str) -> str:
    ids = ids_by_name(plan).get(name)
    assert ids, f"{plan.jurisdiction.name}: no mention written {name!r}; names seen: " + ", ".join(
        sorted(ids_by_name(plan))
    )
    assert len(ids) == 1, f"{plan.jurisdiction.name}: {name!r} resolves to several ids {ids}"
    return next(iter(ids))


def where(action, task) -> str:
    t = f" task {task.seq} {task.title!r}" if task is not None else ""
    return f"action {action.seq} {action.title!r}{t}"


def task_cases():
    for seed, es in EXPECTED.items():
        for a_i, ea in enumerate(es.actions, start=1):
            for t_i, et in enumerate(ea.tasks, start=1):
                yield pytest.param(seed, a_i, t_i, et, id=f"{seed}-a{a_i}.t{t_i}-{et.title[:12]}")


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_plans():
    """Parse each seed at most once per session; a parse error is re-raised for every test that
    needs that seed."""
    cache: dict[str, object] = {}

    def get(seed: str):
        if seed not in cache:
            try:
                cache[seed] = parse_file(seed_file(seed))
            except Exception as exc:  # noqa: BLE001 - reported per test below
                cache[seed] = exc
        result = cache[seed]
        if isinstance(result, Exception):
            name = seed_file(seed).name
            raise AssertionError(f"parse_file({name}) failed: {result!r}") from result
        return result

    return get


# --------------------------------------------------------------------------------------------
# The oracle checks itself: the tables above add up to the hand counts in the comments
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_expected_tables_are_consistent(seed):
    es = EXPECTED[seed]
    assert len(es.actions) == 10
    assert [len(a.tasks) for a in es.actions] == es.tasks_per_action
    assert sum(len(t.lead) for a in es.actions for t in a.tasks) == es.lead_edges
    assert sum(len(t.support) for a in es.actions for t in a.tasks) == es.support_edges
    assert sum(len(t.responsible) for a in es.actions for t in a.tasks) == es.responsible_edges
    assert sum(len(a.leads) for a in es.actions) == es.action_lead_edges
    for a in es.actions:
        for t in a.tasks:
            for role in ROLES:
                lst = getattr(t, role)
                assert len(lst) == len(set(lst)), f"duplicate in expected {role} of {t.title}"
    text = raw_text(seed)
    for a in es.actions:
        assert a.title in text, a.title
        for t in a.tasks:
            assert t.title + "。" in text, t.title
            for role in ROLES:
                for n in getattr(t, role):
                    assert n in text, n


# --------------------------------------------------------------------------------------------
# 1. Plan-level facts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_source(seed, seed_plans):
    plan = seed_plans(seed)
    path = seed_file(seed)
    assert Path(plan.source.file).name == path.name
    assert plan.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("seed", SEED_IDS)
def test_jurisdiction(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    j = plan.jurisdiction
    assert (j.name, j.level) == (es.name, es.level), f"got {j!r}"
    for attr in ("province", "parent_city"):
        want, got = getattr(es, attr), getattr(j, attr)
        if isinstance(want, tuple):
            assert got in want, f"{attr}: got {got!r}, the text allows only {want}"
        else:
            assert got == want, f"{attr}: got {got!r}, expected {want!r}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_period_and_target(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    assert plan.period == es.period
    assert plan.literacy_target_percent == pytest.approx(es.target)


# --------------------------------------------------------------------------------------------
# 2. Actions and tasks
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_action_keys_in_order(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [a.key for a in plan.actions]
    want = [a.key for a in es.actions]
    assert got == want, f"\nactual:   {got}\nexpected: {want}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_action_titles_seqs_and_parts(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [a.title for a in plan.actions]
    want = [a.title for a in es.actions]
    assert got == want, f"\nactual:   {got}\nexpected: {want}"
    assert [a.seq for a in plan.actions] == list(range(1, len(plan.actions) + 1))
    parts = [a.part for a in plan.actions]
    # the part is "提升行动" / "重点工程" (possibly as written: "实施五项提升行动", "五项重点工程" …)
    assert all(w in p for w, p in zip(PART_WORDS, parts)) and len(parts) == 10, f"parts: {parts}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_tasks_per_action(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [len(a.tasks) for a in plan.actions]
    assert got == es.tasks_per_action, (
        f"\nactual:   {got}\nexpected: {es.tasks_per_action}\ntitles: "
        + "; ".join(f"{a.seq}: {[t.title for t in a.tasks]}" for a in plan.actions)
    )
    for a in plan.actions:
        assert [t.seq for t in a.tasks] == list(range(1, len(a.tasks) + 1)), where(a, None)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_task_titles(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [[t.title for t in a.tasks] for a in plan.actions]
    want = [[t.title for t in a.tasks] for a in es.actions]
    for i, (g, w) in enumerate(zip(got, want), start=1):
        assert g == w, f"action {i}:\nactual:   {g}\nexpected: {w}"
    assert len(got) == len(want)


@pytest.mark.parametrize("seed", SEED_IDS)
def test_no_timetable_or_artefact_tasks(seed, seed_plans):
    plan = seed_plans(seed)
    for a, t in plan.tasks():
        assert not t.title.startswith(("启动实施", "深入实施", "总结评估", "中期评估")), where(a, t)
        assert "bookmark" not in t.title and "[" not in t.title, where(a, t)
        assert t.title == t.title.strip() and not t.title.startswith(("——", "-")), where(a, t)
        assert "。" not in t.title, where(a, t)


# --------------------------------------------------------------------------------------------
# 3. Edge counts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_edge_counts(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = {r: sum(len(getattr(t, r)) for _, t in plan.tasks()) for r in ROLES}
    got["action_leads"] = sum(len(a.leads) for a in plan.actions)
    want = {
        "lead": es.lead_edges,
        "support": es.support_edges,
        "responsible": es.responsible_edges,
        "action_leads": es.action_lead_edges,
    }
    per_action = {
        a.seq: {r: sum(len(getattr(t, r)) for t in a.tasks) for r in ROLES} for a in plan.actions
    }
    assert got == want, f"\nactual:   {got}\nexpected: {want}\nper action: {per_action}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_action_level_leads(seed, seed_plans):
    es, plan = EXPECTED[seed], seed_plans(seed)
    got = [[m.name for m in a.leads] for a in plan.actions]
    want = [a.leads for a in es.actions]
    assert got == want, f"\nactual:   {got}\nexpected: {want}"


# --------------------------------------------------------------------------------------------
# 4. Roles per task: every task of every seed
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed, a_seq, t_seq, et", list(task_cases()))
def test_task_roles(seed, a_seq, t_seq, et, seed_plans):
    plan = seed_plans(seed)
    assert len(plan.actions) >= a_seq, f"only {len(plan.actions)} actions"
    action = plan.actions[a_seq - 1]
    assert len(action.tasks) >= t_seq, f"action {a_seq} has only {len(action.tasks)} tasks"
    task = action.tasks[t_seq - 1]
    assert task.title == et.title, f"task ({a_seq}, {t_seq}): title {task.title!r} != {et.title!r}"
    got = {r: role_names(task, r) for r in ROLES}
    want = {"lead": et.lead, "support": et.support, "responsible": et.responsible}
    assert got == want, f"{where(action, task)}\nactual:   {got}\nexpected: {want}"
    if any(want.values()):
        assert task.clause, f"{where(action, task)}: roles without a clause"


# --------------------------------------------------------------------------------------------
# 5. Spellings: one body, one agency; distinct bodies stay distinct
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "seed, spellings", SAME_AGENCY, ids=[f"{s}-{'/'.join(n)}" for s, n in SAME_AGENCY]
)
def test_spellings_resolve_to_one_agency(seed, spellings, seed_plans):
    plan = seed_plans(seed)
    ids = {n: the_id(plan, n) for n in spellings}
    assert len(set(ids.values())) == 1, f"spellings resolve to different agencies: {ids}"
    agency = {a.id: a for a in plan.agencies}.get(next(iter(ids.values())))
    assert agency is not None, f"agency {ids} missing from plan.agencies"
    assert set(spellings) <= set(agency.spellings) | {agency.name}, (
        f"agency {agency.id}: spellings {agency.spellings}, name {agency.name}; want {spellings}"
    )
    assert not agency.is_group


@pytest.mark.parametrize(
    "seed, bodies", DISTINCT_AGENCIES, ids=[s for s, _ in DISTINCT_AGENCIES]
)
def test_distinct_agencies_stay_distinct(seed, bodies, seed_plans):
    plan = seed_plans(seed)
    ids = {n: the_id(plan, n) for n in bodies}
    by_id: dict[str, list[str]] = {}
    for n, i in ids.items():
        by_id.setdefault(i, []).append(n)
    merged = {i: ns for i, ns in by_id.items() if len(ns) > 1}
    assert not merged, f"distinct bodies merged into one agency: {merged}"


@pytest.mark.parametrize("seed", SEED_IDS)
def test_mentions_point_to_known_agencies(seed, seed_plans):
    plan = seed_plans(seed)
    agencies = {a.id: a for a in plan.agencies}
    assert len(agencies) == len(plan.agencies), "duplicate agency ids"
    for action, task, role, m in all_mentions(plan):
        assert m.agency_id in agencies, (
            f"{where(action, task)} {role} {m.name}: unknown id {m.agency_id}"
        )
        a = agencies[m.agency_id]
        assert m.name in set(a.spellings) | {a.name}, (
            f"{m.name!r} not among the spellings {a.spellings} of {a.id}"
        )
        # ids are agency_id(jurisdiction, canonical name) (graph/model.py)
        assert m.agency_id.startswith(plan.jurisdiction.name + ":"), m.agency_id


# --------------------------------------------------------------------------------------------
# 6. Groups
# --------------------------------------------------------------------------------------------


def test_000_leading_group_members(seed_plans):
    plan = seed_plans("000")
    groups = [g for g in plan.groups if "全民科学素质工作领导小组" in g.name]
    assert len(groups) == 1, f"groups: {[g.name for g in plan.groups]}"
    g = groups[0]
    agencies = {a.id: a for a in plan.agencies}
    assert g.agency_id in agencies and agencies[g.agency_id].is_group, g.agency_id
    # every listed member that is named in a clause is linked with the clause's agency id
    want = {n: the_id(plan, n) for n in GROUP_000_MEMBERS}
    missing = {n: i for n, i in want.items() if i not in g.members}
    assert not missing, f"members not linked (name -> clause id): {missing}\nmembers: {g.members}"
    assert len(set(g.members)) == len(g.members), f"duplicate members: {g.members}"
    for member in g.members:
        assert not member.endswith("负责人"), member  # "县防震减灾中心负责人" is 县防震减灾中心
        assert member in agencies, f"member {member} is not an agency of the plan"
    # the office sits at 县科协, which is a member and an ordinary agency
    assert not agencies[the_id(plan, "县科协")].is_group


@pytest.mark.parametrize("seed", sorted(GROUP_NAMES))
def test_group_references_are_group_agencies(seed, seed_plans):
    plan = seed_plans(seed)
    agencies = {a.id: a for a in plan.agencies}
    for name in GROUP_NAMES[seed]:
        gid = the_id(plan, name)
        assert agencies[gid].is_group, f"{name} ({gid}) should be a group"
    for name in ("县科协", "县委宣传部"):
        assert not agencies[the_id(plan, name)].is_group, name


@pytest.mark.parametrize("seed", SEED_IDS)
def test_groups_refer_to_group_agencies(seed, seed_plans):
    plan = seed_plans(seed)
    agencies = {a.id: a for a in plan.agencies}
    for g in plan.groups:
        assert g.agency_id in agencies and agencies[g.agency_id].is_group, g
        for member in g.members:
            assert member in agencies, f"group {g.name}: unknown member {member}"


def test_001_group_on_every_task_and_no_page_break_fragment(seed_plans):
    plan = seed_plans("001")
    for a, t in plan.tasks():
        assert role_names(t, "support") == [G001], f"{where(a, t)}: {role_names(t, 'support')}"
    for _, _, _, m in all_mentions(plan):
        assert m.name != "位" and not m.name.endswith("位位"), m.name
    for agency in plan.agencies:
        assert agency.name != "位" and "位位" not in agency.name, agency.name


def test_001_shared_clause(seed_plans):
    plan = seed_plans("001")
    last = plan.actions[-1]
    assert [t.title for t in last.tasks] == ["拓展科技人文交流渠道", "丰富合作内容", "搭建合作平台"]
    # Reading (odd case): Task.shared_clause is documented as "True when the clause stands once
    # after the action's last task". Here the one clause after task 3 stands for all three tasks,
    # so the flag is True for task 3 as well as for the tasks 1-2 that borrow it.
    for t in last.tasks:
        assert role_names(t, "lead") == ["县科技局", "县科协"], where(last, t)
        assert t.shared_clause, f"{where(last, t)}: the clause after task 3 is shared"
    # the three tasks point at the same clause text
    spans = {tuple(m.span) for t in last.tasks for m in t.lead}
    assert len(spans) == 2, f"lead mentions of the shared clause should share 2 spans: {spans}"
    for a, t in plan.tasks():
        if a is not last:
            assert not t.shared_clause, where(a, t)


@pytest.mark.parametrize("seed", ["000", "002", "003", "004"])
def test_no_shared_clauses_elsewhere(seed, seed_plans):
    plan = seed_plans(seed)
    for a, t in plan.tasks():
        assert not t.shared_clause, where(a, t)


def test_003_repeated_name_keeps_first(seed_plans):
    plan = seed_plans("003")
    raw = raw_text("003")
    task = plan.actions[2].tasks[3]
    assert task.title == "发挥企业家提升产业工人科学素质的示范引领作用"
    first = raw.index("〔县工信局、县工信局") + 1
    gx = [m for m in task.responsible if m.name == "县工信局"]
    assert len(gx) == 1, [m.name for m in task.responsible]
    assert tuple(gx[0].span) == (first, first + len("县工信局")), gx[0].span


def test_004_lead_and_support_same_body(seed_plans):
    plan = seed_plans("004")
    task = plan.actions[3].tasks[0]
    assert task.title == "实施智慧助老科普行动"
    lead = [m for m in task.lead if m.name == "县民政局"]
    sup = [m for m in task.support if m.name == "县民政局"]
    assert len(lead) == 1 and len(sup) == 1
    assert lead[0].agency_id == sup[0].agency_id
    assert lead[0].span != sup[0].span


# --------------------------------------------------------------------------------------------
# 7. Spans
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEED_IDS)
def test_every_mention_span_reads_its_name(seed, seed_plans):
    plan = seed_plans(seed)
    raw = raw_text(seed)
    bad = []
    for action, task, role, m in all_mentions(plan):
        s, e = m.span
        if raw[s:e] != m.name:
            bad.append(f"{where(action, task)} {role} {m.name!r}: raw[{s}:{e}] = {raw[s:e]!r}")
    assert not bad, "\n".join(bad[:20])


@pytest.mark.parametrize("seed", SEED_IDS)
def test_task_spans_contain_titles_in_order(seed, seed_plans):
    plan = seed_plans(seed)
    raw = raw_text(seed)
    last_start = -1
    for a, t in plan.tasks():
        s, e = t.span
        assert 0 <= s < e <= len(raw), f"{where(a, t)}: span {t.span}"
        assert t.title in raw[s:e], f"{where(a, t)}: raw[{s}:{e}] = {raw[s:e][:60]!r}…"
        assert s > last_start, f"{where(a, t)}: tasks out of document order"
        last_start = s


@pytest.mark.parametrize("seed", SEED_IDS)
def test_clause_spans_hold_their_mentions(seed, seed_plans):
    plan = seed_plans(seed)
    for a, t in plan.tasks():
        for role in ROLES:
            for m in getattr(t, role):
                assert t.clause and m.name in t.clause, (
                    f"{where(a, t)}: {m.name} not in {t.clause!r}"
                )
                if t.clause_span is not None:
                    cs, ce = t.clause_span
                    assert cs <= m.span[0] and m.span[1] <= ce, (
                        f"{where(a, t)}: mention {m.name} {m.span} outside clause {t.clause_span}"
                    )


# (seed, action seq, task seq or None for action-level leads, role, index, name, the text right
# before the name in the file; that text occurs exactly once)
SAMPLE_SPANS = [
    ("000", 1, 1, "lead", 0, "县教育局", "培育青少年崇尚科学和勇于创新的价值观。（"),
    ("000", 8, 1, "support", 5, "县气象局", "县财政局、县发改和科技局、县教育局、县农业农村局、县应急管理局、"),
    ("001", 1, 1, "support", 0, G001, "牵头部门：县教育局、团县委\n\n配合部门："),
    ("001", 10, 1, "lead", 0, "县科技局", "提升科普服务水平。\n\n牵头部门："),
    ("001", 10, 2, "lead", 1, "县科协", "提升科普服务水平。\n\n牵头部门：县科技局、"),
    ("002", 1, 4, "support", 3, "妇联", "市委宣传部、市科技局、团市委、"),
    ("003", 1, 1, "responsible", 0, "教体局", "培养学生爱国情怀、社会责任感、创新精神和实践能力。〔"),
    ("003", 1, None, "action_lead", 0, "县教体局", "解决问题的习惯。〔牵头部门："),
    ("003", 9, 3, "responsible", 5, "县市场监管理局", "县工信局、县应急管理局、"),
    ("004", 5, 1, "support", 1, "各乡镇（街道）", "有效落实。（牵头单位：县委组织部，责任单位：县级各部门、"),
    ("004", 2, 2, "lead", 0, "县农业农村委", "更深层次参与农业农村现代化建设。（牵头单位："),
]


@pytest.mark.parametrize(
    "seed, a_seq, t_seq, role, idx, name, before",
    SAMPLE_SPANS,
    ids=[f"{c[0]}-a{c[1]}.t{c[2]}-{c[3]}{c[4]}" for c in SAMPLE_SPANS],
)
def test_sample_spans_at_known_places(seed, a_seq, t_seq, role, idx, name, before, seed_plans):
    """A few mentions checked against positions found directly in the text."""
    raw = raw_text(seed)
    assert raw.count(before + name) == 1, f"anchor {before + name!r} is not unique in {seed}"
    pos = raw.index(before + name) + len(before)
    plan = seed_plans(seed)
    action = plan.actions[a_seq - 1]
    if t_seq is None:
        mentions = action.leads
    else:
        mentions = getattr(action.tasks[t_seq - 1], role)
    assert len(mentions) > idx, f"{seed} ({a_seq},{t_seq}) {role}: {[m.name for m in mentions]}"
    m = mentions[idx]
    assert m.name == name
    assert tuple(m.span) == (pos, pos + len(name)), (
        f"{seed} ({a_seq},{t_seq}) {role}[{idx}] {name!r}: span {m.span}, "
        f"expected ({pos}, {pos + len(name)})"
    )
