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
