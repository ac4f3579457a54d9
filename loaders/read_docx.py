"""Word (.docx) plans: paragraphs and table cells in document order.

Why: python-docx gives the body's paragraphs and tables as blocks; the text keeps them in the order
a reader sees them (merged cells once), and the tables are also handed on as rows of cells, since a
plan may put who does what in a task table (``loaders/tables.py``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from plangraph.loaders import limits
from plangraph.loaders.decoded import Decoded
from plangraph.loaders.detect import binary_kind, sniff
from plangraph.loaders.errors import ReadError


def _docx_blocks(container: object) -> Iterator[str]:
    """Paragraph texts in document order, descending into table cells (merged cells once)."""
    from docx.table import Table

    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table):
            yield from _docx_table(block)
        else:
            yield block.text


def _docx_table(table: object) -> Iterator[str]:
    seen: set[object] = set()  # the cell elements themselves: holding them keeps their ids unique
    for row in table.rows:  # type: ignore[attr-defined]
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            yield from _docx_blocks(cell)


def read_docx(data: bytes, name: str) -> Decoded:
    """A Word (.docx) file: its paragraphs and table cells in document order, and its tables."""
    import docx

    if not data.startswith(b"PK\x03\x04"):
        kind = binary_kind(data) or ("an HTML page" if sniff(data) == "html" else "not a zip archive")
        raise ReadError(name, f"not a valid .docx: {kind}")
    limits.check_docx(data, name)  # parts' inflated sizes, before the XML is parsed
    try:
        document = docx.Document(io.BytesIO(data))
        raw = "\n".join(_docx_blocks(document))
        tables = tuple(_table_rows(t) for t in _all_tables(document))
    except ReadError:
        raise
    except Exception as exc:  # python-docx raises zip, XML and key errors for a broken file
        raise ReadError(name, f"not a valid .docx: {type(exc).__name__}: {exc}") from exc
    if not raw.strip():
        raise ReadError(name, "the .docx holds no text")
    return Decoded(raw, tables=tables)




def _all_tables(container: object) -> Iterator[object]:
    """Every table, nested ones after the table holding them, in document order."""
    from docx.table import Table

    for block in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Table):
            yield block
            for row in block.rows:
                for cell in row.cells:
                    yield from _all_tables(cell)


def _table_rows(table: object) -> tuple[tuple[str, ...], ...]:
    """A table as rows of cell texts; a cell merged across columns is given once per row, one
    merged down rows once (in its first row, empty below), as the text holds it once."""
    seen: set[object] = set()
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells = []
        in_row: set[object] = set()
        for cell in row.cells:
            if cell._tc in in_row:
                continue
            in_row.add(cell._tc)
            cells.append("" if cell._tc in seen else "\n".join(_docx_blocks(cell)))
            seen.add(cell._tc)
        rows.append(tuple(cells))
    return tuple(rows)
