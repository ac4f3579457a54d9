"""Decompression bombs, built here from zlib and zipfile (no document library): a .docx whose
document.xml inflates to ``inflated`` bytes, and a one-page PDF whose content stream does.

Both are streamed through a compressor a megabyte at a time, so building one takes a few MB of
memory and a few seconds, whatever it inflates to; each is built once per test process.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from functools import cache

_MB = 1 << 20

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
PARAGRAPH = "<w:p><w:r><w:t>各单位要加强组织领导，确保各项任务落到实处。</w:t></w:r></w:p>".encode()


@cache
def docx_bomb(inflated: int = 500 * _MB) -> bytes:
    """A valid .docx whose word/document.xml is ``inflated`` bytes of one paragraph repeated."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    tail = b"</w:body></w:document>"
    block = PARAGRAPH * (_MB // len(PARAGRAPH))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as doc:
            doc.write(head)
            written = len(head) + len(tail)
            while written + len(block) <= inflated:
                doc.write(block)
                written += len(block)
            doc.write(PARAGRAPH * ((inflated - written) // len(PARAGRAPH)))
            doc.write(tail)
    return out.getvalue()


@cache
def pdf_bomb(inflated: int = 200 * _MB) -> bytes:
    """A one-page PDF whose content stream (FlateDecode) inflates to ``inflated`` bytes of text
    operators; its xref offsets are exact, so any reader opens it."""
    line = b"BT /F1 12 Tf 72 720 Td (plan) Tj ET\n"
    block = line * (_MB // len(line))
    deflater = zlib.compressobj(9)
    parts = []
    written = 0
    while written + len(block) <= inflated:
        parts.append(deflater.compress(block))
        written += len(block)
    parts.append(deflater.flush())
    stream = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
