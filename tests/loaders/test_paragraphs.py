"""Paragraph joining: every clause-line label the clause grammar knows starts a paragraph of its own."""

from __future__ import annotations

import pytest

from plangraph.loaders.clauses import LABEL_WORDS
from plangraph.loaders.paragraphs import join_paragraphs, split_lines


@pytest.mark.parametrize("word", LABEL_WORDS.split("|"))
def test_a_clause_line_is_never_glued_to_the_line_before(word: str) -> None:
    text = "牵头部门：县科协、县教育局\n" + f"{word}单位：县妇联、团县委\n"
    paragraphs = join_paragraphs(split_lines(text))
    assert [p.text for p in paragraphs] == ["牵头部门：县科协、县教育局", f"{word}单位：县妇联、团县委"]
