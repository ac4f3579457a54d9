"""Reading speed of the slow formats: OCR of scanned pages (pages/s, per core) and Word 97 .doc
conversion by LibreOffice, each beside a bare-read reference measured in the same run (the text
layer of the same PDF; the .docx the .doc was saved from).

    python benchmarks/read_formats.py [--seed ../shared/seeds/000_….txt] [--pages 4] [--workers N]
                                      [--docs 3] [--json]

All copies are built from a seed in memory (the text PDF of tests/loaders/builders.py drawn at
150 dpi for the scan; a .docx with indented paragraphs saved as .doc by LibreOffice). Times are
wall-clock (OCR runs in worker processes; LibreOffice is another program), so the machine's load
average is printed beside them: on a shared machine the ratio to the reference is what survives.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the test builders make the copies

from plangraph.loaders.read import read_bytes  # noqa: E402
from plangraph.loaders.read_ocr import run_pages, workers_for  # noqa: E402
from tests.loaders.builders import make_doc, make_indented_docx, make_ofd, make_pdf, make_scanned_pdf  # noqa: E402


def _wall(fn, *args) -> tuple[float, object]:  # noqa: ANN001, ANN002
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def ocr_figures(lines: list[str], pages: int, workers: int | None) -> dict:
    """OCR of the first `pages` pages of the seed's scan, in worker processes; the reference is
    reading the text layer of the same PDF (pdfplumber)."""
    scan = make_scanned_pdf(lines)
    text_pdf = make_pdf(lines)
    jobs = [("pdf", scan, i) for i in range(pages)]
    used = workers or workers_for(len(jobs))
    os.environ["PLANGRAPH_OCR_WORKERS"] = str(used)
    seconds, _ = _wall(run_pages, jobs, "benchmark")
    reference, source = _wall(read_bytes, text_pdf, "text.pdf")
    return {
        "pages": pages, "workers": used, "seconds": round(seconds, 2),
        "pages_per_s": round(pages / seconds, 3), "pages_per_s_per_core": round(pages / seconds / used, 3),
        "reference_text_pdf_s": round(reference, 3), "reference_chars": len(source.raw),  # type: ignore[attr-defined]
    }


def doc_figures(lines: list[str], docs: int) -> dict:
    """Reading a .doc (LibreOffice conversion + .docx read) against reading the .docx it came from."""
    with tempfile.TemporaryDirectory() as folder:
        doc = make_doc(lines, Path(folder))
    docx = make_indented_docx(lines)
    doc_times = [_wall(read_bytes, doc, "plan.doc")[0] for _ in range(docs)]
    docx_times = [_wall(read_bytes, docx, "plan.docx")[0] for _ in range(docs)]
    ofd = make_ofd(lines)
    ofd_times = [_wall(read_bytes, ofd, "plan.ofd")[0] for _ in range(docs)]
    return {
        "doc_s": round(min(doc_times), 3), "doc_s_median": round(sorted(doc_times)[len(doc_times) // 2], 3),
        "reference_docx_s": round(min(docx_times), 3), "ofd_s": round(min(ofd_times), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    seeds = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    ap.add_argument("--seed", type=Path, default=seeds[0] if seeds else None)
    ap.add_argument("--pages", type=int, default=4, help="scanned pages to OCR")
    ap.add_argument("--workers", type=int, default=None, help="OCR processes (default: one per core)")
    ap.add_argument("--docs", type=int, default=3, help="times the .doc is read")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    lines = args.seed.read_text(encoding="utf-8").split("\n")
    load = os.getloadavg()[0]
    ocr = ocr_figures(lines, args.pages, args.workers)
    doc = doc_figures(lines, args.docs)
    if args.json:
        print(json.dumps({"seed": args.seed.name, "load_average": load, "ocr": ocr, "doc": doc}, indent=2))
        return
    print(f"seed {args.seed.name}; {os.cpu_count()} cores, load average {load:.1f} at start")
    print(
        f"ocr   {ocr['pages']} pages at 150 dpi, {ocr['workers']} processes: {ocr['seconds']:.1f} s = "
        f"{ocr['pages_per_s']:.3f} pages/s, {ocr['pages_per_s_per_core']:.3f} pages/s per core "
        f"| reference: text layer of the same PDF (all pages) {ocr['reference_text_pdf_s']:.2f} s"
    )
    print(
        f"doc   LibreOffice conversion + read {doc['doc_s']:.2f} s (median {doc['doc_s_median']:.2f} s) "
        f"| reference: the .docx it was saved from {doc['reference_docx_s']:.3f} s; OFD of the same text {doc['ofd_s']:.3f} s"
    )


if __name__ == "__main__":
    main()
