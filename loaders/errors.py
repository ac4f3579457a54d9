"""Errors a loader raises for a file that cannot be read as a plan."""

from __future__ import annotations

from pathlib import Path


class PlanError(ValueError):
    """A file that is not a readable plan; the message names the file and the reason.

    Raised for a user's mistake (empty, binary, corrupt, not a plan), so the CLI and API print
    the message rather than a traceback.
    """

    def __init__(self, file: str | Path, reason: str) -> None:
        self.file = str(file)
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")


class ReadError(PlanError):
    """The bytes of a file could not be turned into text."""
