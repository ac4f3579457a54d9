"""Errors a store raises for the user's situation (not for bugs).

Why a module of their own: every command and the API catch these in one place and report them in
one line (the store's path and what is wrong), whichever store raised them.
"""

from __future__ import annotations

__all__ = ["StoreError", "StoreFileError", "StoreMissingError", "StoreWriteError"]


class StoreError(RuntimeError):
    """Something about the store (not the request) stops the answer; the message names the store."""


class StoreFileError(StoreError):
    """The store file exists but is not a plangraph store (or is damaged)."""


class StoreMissingError(StoreError):
    """A read asked a store that does not exist (wrong directory or --db); nothing was created."""


class StoreWriteError(StoreError):
    """A write could not be made durable (a full disk, a read-only file); nothing of it was stored."""
