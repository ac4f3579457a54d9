"""Word 97 (.doc) and WPS (.wps) plans, through LibreOffice headless: converted to .docx, then read
as one (``read_docx``), so paragraphs and tables come out exactly as a .docx's do.

Why: these compound-file formats have no maintained pure-Python reader that keeps tables and
paragraphs; LibreOffice's Writer filters read both (Debian ``libreoffice-writer-nogui``). Each
conversion runs in its own temporary folder with its own user profile (two conversions sharing a
profile block each other), under a timeout, and the converter's absence is a clear error.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from plangraph.loaders.decoded import Decoded
from plangraph.loaders.detect import OLE_MAGIC, binary_kind
from plangraph.loaders.errors import ReadError
from plangraph.loaders.read_docx import read_docx

#: Seconds one conversion may take (a 40-page plan converts in 2-10 s, most of it starting up).
CONVERT_TIMEOUT = float(os.environ.get("PLANGRAPH_SOFFICE_TIMEOUT", "120"))
MISSING = (
    "reading {kind} files needs LibreOffice: install Debian's libreoffice-writer-nogui "
    "(scripts/setup.sh does), or save the file as .docx"
)
SOFFICE_NAMES = ("soffice", "libreoffice")
#: The import filters tried, in order. Named, never detected: on a damaged file LibreOffice's
#: detection falls back to importing the bytes as plain text, which reads garbage as a plan.
#: Kingsoft's .wps is Word's binary format under another name; Microsoft Works' .wps has its own.
FILTERS: dict[str, tuple[str, ...]] = {"doc": ("MS Word 97",), "wps": ("MS Word 97", "MS_Works")}


def soffice() -> str | None:
    """The LibreOffice program on PATH, or None."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def read_doc(data: bytes, name: str) -> Decoded:
    """A Word 97 .doc file."""
    return _read_compound(data, name, "doc")


def read_wps(data: bytes, name: str) -> Decoded:
    """A WPS Writer .wps file (the same compound-file family as .doc)."""
    return _read_compound(data, name, "wps")


def _read_compound(data: bytes, name: str, kind: str) -> Decoded:
    if not data.startswith(OLE_MAGIC):
        raise ReadError(name, f"not a valid .{kind}: {binary_kind(data) or 'no compound-file header'}")
    # the place for size limits (loaders/limits.py): before a converter is started
    program = soffice()
    if program is None:
        raise ReadError(name, MISSING.format(kind=f".{kind}"))
    docx = convert_to_docx(program, data, kind, name)
    decoded = read_docx(docx, name)
    return Decoded(decoded.raw, format=kind, tables=decoded.tables)


def convert_to_docx(program: str, data: bytes, kind: str, name: str) -> bytes:
    """The .docx LibreOffice makes of a .doc/.wps, in a private folder and profile, under a timeout;
    each of the kind's import filters is tried until one reads the file."""
    with tempfile.TemporaryDirectory(prefix="plangraph-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"plan.{kind}"
        source.write_bytes(data)
        detail = ""
        for import_filter in FILTERS[kind]:
            command = [
                program, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                f"-env:UserInstallation={(folder / 'profile').as_uri()}", f"--infilter={import_filter}",
                "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source),
            ]
            said, status = _run(command, tmp, kind, name)
            out = folder / "out" / "plan.docx"
            if out.is_file():
                return out.read_bytes()
            lines = [line for line in said.decode("utf-8", "replace").strip().splitlines() if "javaldx" not in line]
            detail = lines[-1] if lines else f"exit status {status}"
        raise ReadError(name, f"not a readable .{kind}: LibreOffice could not convert it ({detail})")


def _run(command: list[str], home: str, kind: str, name: str) -> tuple[bytes, int]:
    """Run the converter in a session of its own, so that a timeout ends it and the office process
    it starts (``soffice`` forks ``soffice.bin``), not only the launcher."""
    try:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env={**os.environ, "HOME": home}, start_new_session=True,
        )
    except OSError as exc:
        raise ReadError(name, f"LibreOffice could not be started ({command[0]}): {exc.strerror or exc}") from None
    try:
        said, _ = process.communicate(timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise ReadError(name, f"LibreOffice took over {CONVERT_TIMEOUT:.0f} s to convert the .{kind} file") from None
    return said, process.returncode
