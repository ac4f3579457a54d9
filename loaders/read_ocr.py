"""Scanned plans: PDF pages that are images, and page images (.png/.jpg/.tif) of one plan, by OCR.

Why: many county plans are published as scans. The OCR runs offline with the PP-OCRv4 Chinese
detection and recognition models that ship inside the ``rapidocr-onnxruntime`` wheel (no download
at run time). Pages are recognised in parallel, one process per core with one ONNX thread each
(the models do not scale across threads as well as across processes), with a progress bar on
stderr. Every line keeps its page and box (``Region``), lines the recogniser was unsure of are
reported as warnings, and the share of such characters goes into the plan's source.
"""

from __future__ import annotations

import importlib.util
import io
import multiprocessing
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from typing import TYPE_CHECKING

from plangraph.loaders.decoded import Decoded, Region
from plangraph.loaders.document_limits import MAX_OCR_PIXELS, MAX_PAGES, check_pages, check_pixels
from plangraph.loaders.errors import ReadError
from plangraph.loaders.page_lines import PlacedLine, group_lines, marked_lines, page_number_lines

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

RENDER_DPI = 150  # a scan's pages are drawn at this resolution (12-point text is 25 pixels high)
LOW_CONFIDENCE = 0.9  # a line recognised with less confidence than this is reported
MIN_CONFIDENCE = 0.5  # below this a box is no text (rapidocr's own cut-off), but see _lost_bracket
# A clause's closing bracket wrapped alone onto the next line is a box the recogniser cannot read
# (a thin mark in a wide crop): such a box after a line that leaves a clause open at a role word
# is that bracket.
CLAUSE_LEFT_OPEN = re.compile(r"(?:牵头|配合|负责|参与|协助|协办)$")
LOST_BRACKET_CHARS = 2
MISSING = "reading scans needs the OCR package: pip install rapidocr-onnxruntime==1.4.4 (scripts/setup.sh does)"

#: One page to recognise: (kind, bytes, index) where kind is "pdf" (a page of a PDF) or "image"
#: (a frame of an image file); sent to a worker as is, so the page is drawn there.
PageJob = tuple[str, bytes, int]
OcrLine = tuple[tuple[float, float, float, float], str, float]  # box, text, confidence


class PageUnreadable(ValueError):
    """A page that could not be drawn (a damaged image or PDF page); raised in a worker, turned
    into a ``ReadError`` naming the file in the caller."""


def read_scanned_pdf(data: bytes, name: str, pages: int) -> Decoded:
    """A PDF without a text layer, page by page through OCR (format ``pdf-ocr``)."""
    check_pages(pages, name, "scanned PDF")
    if pages == 0:
        raise ReadError(name, "the .pdf has no pages")
    return _recognise([("pdf", data, i) for i in range(pages)], "pdf-ocr", name)


def read_images(files: Sequence[tuple[bytes, str]]) -> Decoded:
    """Page images of one plan, in the order given (each may be a multi-page TIFF): format
    ``image-ocr``."""
    jobs: list[PageJob] = []
    for data, name in files:
        frames = _frame_count(data, name)
        jobs.extend(("image", data, i) for i in range(frames))
    check_pages(len(jobs), files[0][1], "set of page images")
    return _recognise(jobs, "image-ocr", files[0][1])


def _frame_count(data: bytes, name: str) -> int:
    """How many pages an image file holds; refused when it is no image or claims too many pixels."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            check_pixels(image.width, image.height, name)
            frames = 0
            for _ in ImageSequence.Iterator(image):  # a TIFF's pages: headers read, pixels not
                frames += 1
                if frames > MAX_PAGES:
                    break
            return frames
    except ReadError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ReadError(name, f"not a readable image: {type(exc).__name__}: {exc}") from None
    except Image.DecompressionBombError as exc:
        raise ReadError(name, f"the image is too large: {exc}") from None


def _recognise(jobs: list[PageJob], fmt: str, name: str) -> Decoded:
    if importlib.util.find_spec("rapidocr_onnxruntime") is None:  # found, not imported: workers load it
        raise ReadError(name, MISSING)
    try:
        pages = run_pages(jobs, name)
    except PageUnreadable as exc:
        raise ReadError(name, f"not a readable scan: {exc}") from None
    decoded = _text(pages, fmt)
    if not decoded.raw.strip():
        what = f"the .pdf has no text layer and OCR read no text on its {len(jobs)} pages" if fmt == "pdf-ocr" else f"OCR read no text in the {len(jobs)} page image(s)"
        raise ReadError(name, what)
    return decoded


def workers_for(pages: int) -> int:
    """One OCR process per core this process may use (or ``PLANGRAPH_OCR_WORKERS``), at most one
    per page."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    setting = os.environ.get("PLANGRAPH_OCR_WORKERS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        cores = int(setting)
    return max(1, min(cores, pages))


def run_pages(jobs: list[PageJob], name: str) -> list[list[OcrLine]]:
    """Every page's lines, pages spread over worker processes, a progress bar on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    # a daemonic process (the API parses an upload in a pool worker) may start no processes
    workers = 1 if multiprocessing.current_process().daemon else workers_for(len(jobs))
    columns = (TextColumn(f"OCR {os.path.basename(name)}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        bar = progress.add_task("ocr", total=len(jobs))
        if workers == 1:
            return [_step(ocr_page(job), progress, bar) for job in jobs]
        # fork: a worker starts in milliseconds and needs no importable __main__ (spawn re-runs a
        # caller's unguarded script); nothing of the OCR runtime is loaded before the fork
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_quiet) as pool:
            return [_step(lines, progress, bar) for lines in pool.map(ocr_page, jobs)]


def _step(lines: list[OcrLine], progress: Progress, bar: TaskID) -> list[OcrLine]:
    progress.advance(bar)
    return lines


def _quiet() -> None:
    """A worker: one ONNX thread (the pages are the parallelism)."""
    os.environ["OMP_NUM_THREADS"] = "1"


@cache
def _engine() -> Callable[..., tuple[object, object]]:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, text_score=0.0)  # see MIN_CONFIDENCE


def ocr_page(job: PageJob) -> list[OcrLine]:
    """One page drawn and recognised: its lines' boxes (pixels), texts and confidences."""
    import numpy as np

    try:
        image = _draw(job)
    except Exception as exc:  # PIL and pdfium raise many kinds for a damaged page
        raise PageUnreadable(f"page {job[2] + 1} cannot be drawn: {type(exc).__name__}: {exc}") from None
    result, _ = _engine()(np.asarray(image), use_cls=False)
    lines: list[OcrLine] = []
    for quad, text, score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        lines.append(((min(xs), min(ys), max(xs), max(ys)), str(text), float(score)))
    return lines


def _draw(job: PageJob) -> object:
    """The page as an RGB image, shrunk to at most ``MAX_OCR_PIXELS``."""
    kind, data, index = job
    if kind == "pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            page = document[index]
            width, height = page.get_size()
            scale = min(RENDER_DPI / 72, (MAX_OCR_PIXELS / max(width * height, 1)) ** 0.5)
            image = page.render(scale=scale).to_pil()
        finally:
            document.close()
    else:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as opened:
            opened.seek(index)
            image = opened.convert("RGB")
    if image.width * image.height > MAX_OCR_PIXELS:
        factor = (MAX_OCR_PIXELS / (image.width * image.height)) ** 0.5
        image = image.resize((int(image.width * factor), int(image.height * factor)))
    return image.convert("RGB")


def _text(pages: list[list[OcrLine]], fmt: str) -> Decoded:
    """The pages' lines as one text, page numbers dropped; regions, warnings and the unsure share."""
    out: list[str] = []
    regions: list[Region] = []
    warnings: list[str] = []
    pos = unsure = total = 0
    for number, found in enumerate(pages, 1):
        boxes = [PlacedLine(text, *box, confidence=score) for box, text, score in found]
        placed = group_lines([b for b in boxes if b.confidence >= MIN_CONFIDENCE])
        placed = _with_lost_brackets(placed, [b for b in boxes if b.confidence < MIN_CONFIDENCE], number, warnings)
        marked = marked_lines(placed)
        dropped = page_number_lines([text for text, _ in marked])
        for i, (text, line) in enumerate(marked):
            if i in dropped:
                continue
            box = (round(line.x0, 1), round(line.top, 1), round(line.x1, 1), round(line.bottom, 1))
            regions.append(Region(pos, pos + len(text), number, box, round(line.confidence, 4)))
            chars = len(line.text)
            total += chars
            if line.confidence < LOW_CONFIDENCE:
                unsure += chars
                warnings.append(f"OCR unsure ({line.confidence:.2f}) on page {number}, box {box}: {line.text!r}")
            out.append(text)
            pos += len(text) + 1
    share = round(unsure / total, 4) if total else 0.0
    return Decoded("\n".join(out), format=fmt, regions=tuple(regions), low_confidence_share=share, warnings=tuple(warnings))


def _with_lost_brackets(lines: list[PlacedLine], unread: list[PlacedLine], page: int, warnings: list[str]) -> list[PlacedLine]:
    """The page's lines, and a line "）" for each unreadable box that is a clause's lost closing
    bracket (reported); other unreadable boxes hold no text."""
    lines = list(lines)
    for box in unread:
        if len(box.text.strip()) > LOST_BRACKET_CHARS:
            continue
        above = [i for i, line in enumerate(lines) if line.bottom <= box.top + 0.3 * (box.bottom - box.top)]
        if not above:
            continue
        at = max(above, key=lambda i: lines[i].bottom)
        if at + 1 < len(lines) and lines[at + 1].top < box.top:  # another line lies between
            continue
        recent = "".join(line.text for line in lines[max(0, at - 2) : at + 1])
        opened = recent.count("（") + recent.count("(") - recent.count("）") - recent.count(")")
        if opened > 0 and CLAUSE_LEFT_OPEN.search(lines[at].text):
            where = (round(box.x0, 1), round(box.top, 1), round(box.x1, 1), round(box.bottom, 1))
            warnings.append(f"OCR: an unreadable mark on page {page}, box {where}, after an open clause read as '）'")
            lines.insert(at + 1, PlacedLine("）", box.x0, box.top, box.x1, box.bottom, box.confidence))
    return lines
