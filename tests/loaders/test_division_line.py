"""The division-of-work line of 2016-2020 plans, as written in the test."""

from __future__ import annotations

from plangraph.loaders.clauses import LABEL, parse_clause


def test_a_2016_2020_division_line_names_leads_and_participants() -> None:
    """"分工：由A、B牵头，C、D等单位参加。" closes a 2016-2020 action: A, B lead; C, D support."""
    line = "分工：由县教育局、县科协牵头，县科技局、团县委等单位参加。"
    assert LABEL.match(line)  # a clause line, as 牵头单位：… lines are
    got = [(n.role, n.name) for n in parse_clause(line, 0).names]
    assert got == [("lead", "县教育局"), ("lead", "县科协"), ("support", "县科技局"), ("support", "团县委")]
