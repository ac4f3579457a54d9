"""Issue 16 over a real ``plangraph serve``: reworded tasks that are the same work (read in the
seeds: 正宁县 "实施乡村振兴科技支撑行动", 万年县 "发挥科技支撑乡村振兴作用", 沁源县
"开展科技助力乡村振兴行动") are one theme, and /themes/{id} shows each link's score and evidence."""

from __future__ import annotations

from urllib.parse import quote

import httpx


def test_rural_revitalisation_theme_links_the_rewordings_with_evidence(live_server: str) -> None:
    page = httpx.get(f"{live_server}/themes", params={"action": "farmers", "q": "乡村振兴", "limit": 100},
                     timeout=60).json()
    wanted = {("正宁县", "实施乡村振兴科技支撑行动"), ("万年县", "发挥科技支撑乡村振兴作用"),
              ("沁源县", "开展科技助力乡村振兴行动")}
    found = None
    for item in page["items"]:
        theme = httpx.get(f"{live_server}/themes/{quote(item['id'], safe='')}", timeout=60).json()
        if wanted <= {(m["jurisdiction"], m["task_title"]) for m in theme["members"]}:
            found = theme
    assert found is not None, page
    for member in found["members"]:
        evidence = member["evidence"]
        assert 0 < member["score"] <= 100
        assert set(evidence["parts"]) == {"title", "text", "phrases", "action_key", "lead_kinds"}
        if evidence["compared_with"] != member["task_id"]:
            assert evidence["phrases"], member["task_title"]
            assert "科技助力乡村振兴" in evidence["concepts"]  # the known work every one of them names
