"""Running Graphviz: DOT text in, SVG/PNG/PDF bytes out, through the installed binaries.

Why the binary and not a Python binding: Debian's ``graphviz`` package is the engine every binding
calls anyway, and running it as a process gives a timeout (a figure never hangs a request) and a
plain error naming what to install when it is missing (``GraphvizMissing``: the API answers 503).
The layout is deterministic: same DOT, same engine, same picture.

Example:
    >>> engine_binary("dot").endswith("dot") or True
    True
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Literal

Engine = Literal["dot", "neato", "sfdp"]
Format = Literal["svg", "png", "pdf"]

TIMEOUT_SECONDS = 60
INSTALL_HINT = "install Graphviz: apt-get install -y graphviz fonts-noto-cjk (scripts/setup.sh does)"


class GraphvizMissing(RuntimeError):
    """The Graphviz binary a figure needs is not on PATH."""


class GraphvizFailed(RuntimeError):
    """Graphviz ran but gave no figure (an error, or the timeout)."""


def engine_binary(engine: Engine) -> str:
    """Path of the engine's binary; raises ``GraphvizMissing`` naming the package to install."""
    found = shutil.which(engine)
    if found is None:
        raise GraphvizMissing(f"Graphviz's `{engine}` is not on PATH: {INSTALL_HINT}")
    return found


def run(dot_source: str, engine: Engine, fmt: Format, *, extra: list[str] | None = None,
        timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Lay out and draw ``dot_source`` with ``engine`` as ``fmt``; ``extra`` are -G/-N options."""
    cmd = [engine_binary(engine), f"-T{fmt}", *(extra or [])]
    try:
        done = subprocess.run(cmd, input=dot_source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GraphvizFailed(f"{engine} took longer than {timeout:.0f} s to draw the figure") from exc
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()[:500]
        raise GraphvizFailed(f"{engine} -T{fmt} failed ({done.returncode}): {message}")
    return done.stdout
