"""``plangraph render``: the three views written to files from the seed plans."""

from __future__ import annotations

from pathlib import Path

from plangraph.viz.html import remote_references
from typer.testing import CliRunner

from plangraph.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["render", *args])


def test_render_jurisdiction_agency_and_compare(seeds_dir: Path, tmp_path: Path) -> None:
    plans = ["--plans", str(seeds_dir)]
    cases = {
        "j.html": ["jurisdiction", "丰都县", *plans],
        "a.html": ["agency", "县教委", "--jurisdiction", "丰都县", *plans],
        "k.html": ["agency", "--kind", "education", *plans],
        "c.html": ["compare", "丰都县", "万年县", *plans],
    }
    for name, args in cases.items():
        out = tmp_path / name
        result = run(*args, "-o", str(out))
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert remote_references(text) == []
        assert "<h1" in text
    assert "丰都县：部门与任务" in (tmp_path / "j.html").read_text(encoding="utf-8")
    assert "县教委（丰都县）" in (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "万年县" in (tmp_path / "c.html").read_text(encoding="utf-8")


def test_render_filters_and_cap(seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "cap.html"
    result = run("jurisdiction", "丰都县", "--plans", str(seeds_dir), "--max-nodes", "40",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "of 34 tasks; filter by action to see the rest" in out.read_text(encoding="utf-8")
    out = tmp_path / "youth.html"
    result = run("jurisdiction", "丰都县", "--plans", str(seeds_dir), "--action", "youth",
                 "--role", "lead", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Filtered: only actions youth." in out.read_text(encoding="utf-8")


def test_user_mistakes_give_a_message_and_exit_2(seeds_dir: Path, tmp_path: Path) -> None:
    plans = ["--plans", str(seeds_dir), "-o", str(tmp_path / "x.html")]
    for args, message in [
        (["jurisdiction", "北京市", *plans], "no plan of '北京市'"),
        (["jurisdiction", "丰都县", "--role", "boss", *plans], "unknown role"),
        (["compare", "丰都县", *plans], "two or more plans"),
        (["agency", *plans], "exactly one of them"),
    ]:
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()
