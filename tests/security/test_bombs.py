"""Decompression bombs and oversized documents, refused by the loaders' limits
(``graph/data/limits.yaml``, ``loaders/limits.py``) before they are unpacked: through the CLI
(one line naming the file and the limit, the other files still loaded) and the loaders' API.
The documents are built here; what each must be refused for follows from how it was built."""

from __future__ import annotations

import io
import os
import resource
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from plangraph.loaders import ReadError, parse_bytes
from plangraph.loaders.limits import LimitExceeded, limits
from tests.conftest import SEED_PATHS
from tests.server.bombs import CONTENT_TYPES, PARAGRAPH, RELS, docx_bomb, pdf_bomb
from tests.server.conftest import PeakRss

MB = 1 << 20


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bombs")
    (folder / "bomb.docx").write_bytes(docx_bomb(500 * MB))
    (folder / "bomb.pdf").write_bytes(pdf_bomb(200 * MB))
    shutil.copy(SEED_PATHS[0], folder / SEED_PATHS[0].name)
    return folder


def _run(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """A CLI run, its time and its peak RSS in bytes (its process tree, sampled every 20 ms)."""
    start = time.monotonic()
    env = {**os.environ, "COLUMNS": "500"}  # rich wraps long lines at the terminal's width (80 in a pipe)
    command = [sys.executable, "-m", "plangraph", *args]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=env)
    with PeakRss(proc.pid) as rss:
        out, err = proc.communicate(timeout=120)
    done = subprocess.CompletedProcess(command, proc.returncode, out, err)
    return done, time.monotonic() - start, rss.peak


@pytest.mark.parametrize(("name", "limit"), [("bomb.docx", "docx.part_bytes"), ("bomb.pdf", "pdf.stream_bytes")])
def test_cli_parse_refuses_a_bomb_in_one_line(bombs: Path, name: str, limit: str) -> None:
    done, took, peak = _run("parse", str(bombs / name), cwd=bombs)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and limit in lines[0], done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    print(f"plangraph parse {name}: refused in {took:.1f} s (the whole command), peak RSS {peak / MB:.0f} MB")
    assert took < 20, f"{took:.1f} s"
    assert peak < 400 * MB, f"peak RSS {peak / MB:.0f} MB"


def test_cli_load_names_the_bombs_and_loads_the_rest(bombs: Path, tmp_path: Path) -> None:
    done, _, peak = _run("load", str(bombs), "--db", str(tmp_path / "graph.bin"), cwd=tmp_path)
    out = done.stdout + done.stderr
    assert "Traceback" not in out
    assert "bomb.docx" in out and "docx.part_bytes" in out and "bomb.pdf" in out and "pdf.stream_bytes" in out, out
    stats, _, _ = _run("stats", "--json", "--db", str(tmp_path / "graph.bin"), cwd=tmp_path)
    assert '"Plan": 1' in stats.stdout.replace(" ", "").replace('"Plan":1', '"Plan": 1'), stats.stdout
    assert peak < 600 * MB, f"peak RSS {peak / MB:.0f} MB"


def _lying_docx(declared: int, inflated: int) -> bytes:
    """A .docx whose document.xml inflates to ``inflated`` bytes while its zip directory (and local
    header) says ``declared``."""
    body = PARAGRAPH * (inflated // len(PARAGRAPH))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", body)
    data = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header: uncompressed size
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    struct.pack_into("<I", data, central + 24, declared)  # central directory: uncompressed size
    return bytes(data)


def test_a_zip_directory_that_lies_about_sizes_unpacks_no_more_than_it_says() -> None:
    """Declared 1 KB, inflating to 100 MB: within every limit by its directory, and read no
    further than that (the reader then finds the part damaged)."""
    data = _lying_docx(1024, 100 * MB)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    with pytest.raises(ReadError) as caught:
        parse_bytes(data, "liar.docx")
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
    assert "liar.docx" in str(caught.value)
    assert grown < 50 * MB, f"reading it grew the process by {grown / MB:.0f} MB"


def test_a_docx_of_too_many_parts_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        for i in range(limits().docx_parts):
            z.writestr(f"word/media/p{i}.xml", "")
    with pytest.raises(LimitExceeded) as caught:
        parse_bytes(out.getvalue(), "parts.docx")
    assert caught.value.limit == "docx.parts" and "parts.docx" in str(caught.value)


def test_a_pdf_of_too_many_pages_is_refused() -> None:
    pages = limits().pdf_pages + 1
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               b"<< /Length 0 >>\nstream\n\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with pytest.raises(LimitExceeded) as caught:
        parse_bytes(bytes(out), "pages.pdf")
    assert caught.value.limit == "pdf.pages" and "pages.pdf" in str(caught.value)


def test_html_over_the_size_and_depth_limits_is_refused() -> None:
    chars = limits().html_chars
    page = b"<html><body><p>" + b"x" * chars + b"</p></body></html>"
    with pytest.raises(LimitExceeded) as caught:
        parse_bytes(page, "big.html")
    assert caught.value.limit == "html.chars"
    depth = limits().html_depth + 10
    deep = b"<html><body>" + b"<div>" * depth + b"text" + b"</div>" * depth + b"</body></html>"
    with pytest.raises(LimitExceeded) as caught:
        parse_bytes(deep, "deep.html")
    assert caught.value.limit == "html.depth" and "deep.html" in str(caught.value)
