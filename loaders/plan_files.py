"""Which files of a folder are plans: every readable suffix, and scanned pages as one plan.

Why: a folder load takes every format the readers take (``readable_suffixes``). A plan scanned
page by page arrives as a folder of images (page-1.png, page-2.png …): such a folder, holding
page images and no other plan file, is one plan whose pages are its images in page order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from plangraph.loaders.detect import SUFFIX_FORMATS, readable_suffixes

IMAGE_SUFFIXES = frozenset(s for s, fmt in SUFFIX_FORMATS.items() if fmt == "image")
_NUMBER = re.compile(r"(\d+)")


def page_order(path: Path) -> tuple[object, ...]:
    """Natural order of page files: page-2 before page-10."""
    return tuple(int(part) if part.isdigit() else part for part in _NUMBER.split(path.name.lower()))


def is_page_folder(folder: Path) -> bool:
    """A folder of page images (at least one) and no other plan file."""
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in readable_suffixes()]
    return bool(files) and all(p.suffix.lower() in IMAGE_SUFFIXES for p in files)


def page_files(folder: Path) -> list[Path]:
    """The page images of a page folder, in page order."""
    return sorted((p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES), key=page_order)


def plan_files(folder: Path) -> list[Path]:
    """Every plan under ``folder`` (recursively, sorted): files of a readable suffix, and page
    folders (as the folder itself) instead of their images."""
    found: list[Path] = []
    for directory in _folders(folder):
        if is_page_folder(directory):
            found.append(directory)
            continue
        found.extend(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in readable_suffixes())
    return sorted(found)


def _folders(folder: Path) -> Iterable[Path]:
    yield folder
    yield from sorted(p for p in folder.rglob("*") if p.is_dir())
