"""Errors a question can end in; the API turns them into 404/422 with a JSON body."""

from __future__ import annotations


class NotFound(LookupError):
    """Nothing of that kind has that name; ``suggestions`` are the closest names there are."""

    def __init__(self, kind: str, name: str, suggestions: list[str] | None = None) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions or []
        hint = f"; did you mean: {', '.join(self.suggestions)}" if self.suggestions else ""
        super().__init__(f"no {kind} named {name!r}{hint}")


class Ambiguous(NotFound):
    """A name several stored places share (朝阳区 of 北京市 and of 长春市): the API answers 409 with
    the candidates, each to be asked by its code. A kind of NotFound, so every caller that reports
    an unknown name reports this one too."""

    def __init__(self, kind: str, name: str, candidates: list[dict[str, str | None]]) -> None:
        self.candidates = candidates
        codes = ", ".join(f"{c['code']} ({c['province'] or ''}{c['parent_city'] or ''})" for c in candidates)
        super().__init__(kind, name)
        self.args = (f"{name!r} names {len(candidates)} {kind}s: ask by code: {codes}",)

    def __str__(self) -> str:
        return str(self.args[0])
