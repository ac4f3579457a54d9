"""Plain text plans: UTF-8 or GB18030 (with or without a byte-order mark), any line endings.

Why: county offices save text in GB18030 as often as UTF-8, and a damaged download may hold a few
broken bytes; a binary file misnamed .txt must be refused, not read as garbage.
"""

from __future__ import annotations

import codecs
import re

from plangraph.loaders.decoded import Decoded
from plangraph.loaders.detect import binary_kind, looks_binary_bytes, too_many_controls
from plangraph.loaders.errors import ReadError

_MAX_BAD_UTF8_RATIO = 0.001  # a UTF-8 file with a few broken bytes is still UTF-8
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # category Cc, less \t \n \r \f


def _looks_binary(text: str) -> bool:
    return too_many_controls(len(_CONTROL.findall(text)), len(text))


def bom_decode(data: bytes) -> tuple[str, str] | None:
    """Decode by a byte-order mark; None when there is none."""
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a handful of broken bytes (a damaged file), decoded with U+FFFD for those."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = sum(1 for ch in text if ord(ch) > 0x7F)
    if bad <= max(2, _MAX_BAD_UTF8_RATIO * len(text)) and non_ascii > 20 * bad:
        return text
    return None


def _decode_plain(data: bytes) -> tuple[str, str] | None:
    """Strict UTF-8, then GB18030, then nearly-UTF-8; None if none fits."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    text = _mostly_utf8(data)
    return (text, "utf-8") if text is not None else None


def _decode_text(data: bytes, name: str) -> tuple[str, str]:
    decoded = bom_decode(data)
    if decoded is None:
        kind = binary_kind(data)
        if kind is not None or b"\x00" in data:
            raise ReadError(name, f"binary file ({kind or 'holds NUL bytes'}), not text")
        decoded = _decode_plain(data)
    if decoded is None:
        if looks_binary_bytes(data):
            raise ReadError(name, "binary file (mostly non-text bytes), not text")
        raise ReadError(name, "undecodable text: neither UTF-8 nor GB18030")
    if _looks_binary(decoded[0]):
        raise ReadError(name, "binary file (too many control characters), not text")
    return decoded


def read_txt(data: bytes, name: str) -> Decoded:
    """A text file: UTF-8 or GB18030, any line endings; refused when it is binary."""
    raw, encoding = _decode_text(data, name)
    if not raw.strip():
        raise ReadError(name, "empty file (only whitespace)")
    return Decoded(raw, encoding)


