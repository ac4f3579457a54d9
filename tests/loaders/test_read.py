"""Reading plan files: every encoding, line ending and format gives the seed's text, and spans map
back into the raw text exactly; a file that is not a document raises ReadError naming it."""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections import Counter
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plangraph.loaders.errors import ReadError
from tests.loaders.builders import CHROME_WORDS, DOTS, HALF_WIDTH, PDF_WIDTH, make_docx, make_html, make_pdf
from plangraph.loaders.normalize import normalize
from plangraph.loaders.read import SourceText, read_bytes, read_source

PHRASE = "科学素质"  # in every seed, many times


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def squeeze(text: str) -> str:
    """The text without any whitespace: what survives re-flowing into a PDF or a web page."""
    return "".join(text.split())


def assert_offsets_sane(source: SourceText) -> None:
    offsets = source.offsets
    assert len(offsets) == len(source.text) + 1
    assert offsets[-1] == len(source.raw)
    assert all(a <= b for a, b in zip(offsets, offsets[1:]))


def assert_spans_map_back(source: SourceText, phrase: str = PHRASE) -> None:
    """Every occurrence of `phrase` in the text is the same phrase in raw, and random spans of the
    text are the normalisation of the raw span they map to."""
    starts = [m.start() for m in re.finditer(phrase, source.text)]
    assert starts, f"{phrase!r} not found"
    for start in starts:
        a, b = source.raw_span(start, start + len(phrase))
        assert source.raw[a:b] == phrase
    rng = random.Random(7)
    for _ in range(200):
        s = rng.randrange(len(source.text))
        e = min(len(source.text), s + rng.randrange(1, 400))
        a, b = source.raw_span(s, e)
        assert normalize(source.raw[a:b])[0] == source.text[s:e]


# --- plain text: encodings and line endings -----------------------------------------------------


def test_plain_seed(seed_path: Path) -> None:
    source = read_source(seed_path)
    assert (source.format, source.encoding) == ("txt", "utf-8")
    assert source.raw == seed_text(seed_path)
    assert_offsets_sane(source)
    assert_spans_map_back(source)


VARIANTS: dict[str, tuple[str, str, str]] = {
    # variant: (encoding to write, line ending, encoding read back)
    "utf8-bom": ("utf-8-sig", "\n", "utf-8-sig"),
    "gb18030": ("gb18030", "\n", "gb18030"),
    "crlf": ("utf-8", "\r\n", "utf-8"),
    "cr": ("utf-8", "\r", "utf-8"),
    "bom-crlf": ("utf-8-sig", "\r\n", "utf-8-sig"),
    "gb18030-crlf": ("gb18030", "\r\n", "gb18030"),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_encodings_and_line_endings_give_the_same_text(seed_path: Path, tmp_path: Path, variant: str) -> None:
    write_as, eol, read_as = VARIANTS[variant]
    original = seed_text(seed_path)
    path = tmp_path / f"plan-{variant}.txt"
    path.write_bytes(original.replace("\n", eol).encode(write_as))
    source = read_source(path)
    assert source.encoding == read_as
    assert source.text == read_source(seed_path).text
    assert source.raw == original.replace("\n", eol)  # raw is as decoded: BOM gone, line ends kept
    assert_offsets_sane(source)
    assert_spans_map_back(source)


def test_crlf_line_maps_to_raw_line(seed_path: Path) -> None:
    original = seed_text(seed_path)
    source = read_bytes(original.replace("\n", "\r\n").encode("utf-8"), "plan.txt")
    start = 0
    for line in original.split("\n"):
        a, b = source.raw_span(start, start + len(line))
        assert source.raw[a:b] == line
        start += len(line) + 1


def test_utf16_with_bom(seed_path: Path) -> None:
    source = read_bytes(seed_text(seed_path).encode("utf-16"), "plan.txt")
    assert source.encoding == "utf-16"
    assert source.text == read_source(seed_path).text


def test_utf8_with_a_broken_byte_stays_utf8(seed_path: Path) -> None:
    data = bytearray(seed_path.read_bytes())
    at = data.index("科学素质".encode()) + 1
    data[at] = 0xFF  # breaks one character
    source = read_bytes(bytes(data), "plan.txt")
    assert source.encoding == "utf-8"
    assert source.raw.count("\ufffd") >= 1
    assert len(source.raw) >= len(seed_text(seed_path)) - 1


def test_upload_bytes_and_text_suffix(seed_path: Path) -> None:
    data = seed_path.read_bytes()
    assert read_bytes(data, "plan.text").text == read_source(seed_path).text
    assert read_bytes(data, "no-suffix").format == "txt"


# --- normalisation ------------------------------------------------------------------------------


def test_half_width_copy_normalises_to_the_original(seed_path: Path) -> None:
    original = seed_text(seed_path)
    copy = original.translate(HALF_WIDTH)
    assert copy != original
    assert normalize(copy)[0] == normalize(original)[0]


def test_full_width_digits_and_spaces_normalise_to_the_original(seed_path: Path) -> None:
    original = seed_text(seed_path)
    copy = original.translate(str.maketrans("0123456789 ", "０１２３４５６７８９\u3000"))
    assert normalize(copy)[0] == normalize(original)[0]


def test_traditional_copy_normalises_to_nearly_the_original(seed_path: Path) -> None:
    original = seed_text(seed_path)
    traditional = opencc.OpenCC("s2t").convert(original)
    text, _ = normalize(original)
    back, offsets = normalize(traditional)
    assert len(offsets) == len(back) + 1 and len(back) == len(text)
    differ = Counter((a, b) for a, b in zip(text, back) if a != b)
    # OpenCC's s2t then t2s is not the identity: 想象力 -> 想像力 -> 想像力 (像 is also simplified).
    assert sum(differ.values()) <= max(3, len(text) // 1000), differ
    assert set(differ) <= {("象", "像")}, differ


def test_seed_text_is_unchanged_by_normalisation_but_for_half_width_punctuation(seed_path: Path) -> None:
    original = seed_text(seed_path)
    text, offsets = normalize(original)
    assert offsets == list(range(len(original) + 1))
    changed = {(a, b) for a, b in zip(original, text) if a != b}
    assert changed <= {(h, f) for h, f in zip("(),:;!?", "（），：；！？")}


NORMALISED: list[tuple[str, str]] = [
    ("a\r\nb\rc\n", "a\nb\nc\n"),
    ("\ufeff丰都县", "丰都县"),
    ("县\x00科\x07协\u200b", "县科协"),
    ("比例达到１４.５％", "比例达到14.5%"),
    ("(一)实施,牵头:A;B!?", "（一）实施，牵头：A；B！？"),
    ("（一）实施，牵头：A；B！？", "（一）实施，牵头：A；B！？"),
    ("1.开展", "1.开展"),
    ("１．开展", "1.开展"),
    ("\u3000\u3000为贯彻\u00a0落实", "  为贯彻 落实"),
    ("国发﹝2021﹞9号", "国发〔2021〕9号"),
    ("【通知】中国梦•劳动美·创新‧", "【通知】中国梦•劳动美·创新‧"),
    ("⑴⒈㈠", "（1）1.（一）"),
    ("⼀⼆", "一二"),  # Kangxi radicals, as some PDFs carry them
    ("實施青少年科學素質提升行動", "实施青少年科学素质提升行动"),
    ("縣教育局、團縣委", "县教育局、团县委"),
    ("tab\there", "tab\there"),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "expected"), NORMALISED)
def test_normalize(raw: str, expected: str) -> None:
    text, offsets = normalize(raw)
    assert text == expected
    assert len(offsets) == len(text) + 1 and offsets[-1] == len(raw)


def test_expanded_character_spans_cover_it() -> None:
    source = read_bytes("前⑴后".encode(), "x.txt")
    assert source.text == "前（1）后"
    assert source.offsets == [0, 1, 1, 1, 2, 3]
    assert source.raw_span(1, 4) == (1, 2)
    assert source.raw_span(1, 2) == (1, 2)  # an end inside "⑴" takes all of it
    assert source.raw_span(2, 3) == (1, 2)
    with pytest.raises(ValueError):
        source.raw_span(3, 9)


def test_dropped_characters_keep_offsets_aligned() -> None:
    raw = "县科协\x01牵头\r\n县\u200b教育局"
    source = read_bytes(raw.encode(), "x.txt")
    assert source.text == "县科协牵头\n县教育局"
    start = source.text.index("教育局")
    a, b = source.raw_span(start, start + 3)
    assert raw[a:b] == "教育局"
    a, b = source.raw_span(0, 5)
    assert raw[a:b].startswith("县科协") and raw[a:b].replace("\x01", "") == "县科协牵头"


def test_traditional_with_length_changing_phrase_falls_back_per_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from plangraph.loaders import normalize as module

    class Lengthening:
        def convert(self, text: str) -> str:
            return text.replace("甲", "乙乙").replace("縣", "县")

    monkeypatch.setattr(module, "_t2s", lambda: Lengthening())
    text, offsets = normalize("縣甲\n縣科協")
    assert text == "县甲\n县科協"  # the line that changed length is converted per character
    assert len(offsets) == len(text) + 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("科县协（）(),:\r\n\t \u3000\x00\x1b\ufeff\u200b１Ａ⑴㈠﹝實縣.…"))))
def test_offsets_invariants(raw: str) -> None:
    text, offsets = normalize(raw)
    assert len(offsets) == len(text) + 1 and offsets[-1] == len(raw)
    assert all(0 <= a <= b for a, b in zip(offsets, offsets[1:]))
    for i, ch in enumerate(text):
        source_char = raw[offsets[i]]
        assert ch in normalize(source_char)[0] or (source_char == "\r" and ch == "\n")


# --- .docx --------------------------------------------------------------------------------------


def test_docx(seed_path: Path, tmp_path: Path) -> None:
    original = seed_text(seed_path)
    path = tmp_path / "plan.docx"
    path.write_bytes(make_docx(original.split("\n")))
    source = read_source(path)
    assert (source.format, source.encoding) == ("docx", None)
    assert source.text == normalize(original)[0]
    assert_offsets_sane(source)
    assert_spans_map_back(source)


def test_docx_merged_cells_are_read_once() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("领导小组成员单位：")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "县科协"
    for col, name in enumerate(["县教育局", "县财政局", "团县委"]):
        table.cell(1, col).text = name
    buf = io.BytesIO()
    document.save(buf)
    source = read_bytes(buf.getvalue(), "group.docx")
    assert source.text == "领导小组成员单位：\n县科协\n县教育局\n县财政局\n团县委"


# --- .html --------------------------------------------------------------------------------------

def expected_lines(original: str) -> list[str]:
    return [" ".join(line.split()) for line in normalize(original)[0].split("\n") if line.strip()]


def assert_plan_page(source: SourceText, original: str) -> None:
    lines = [" ".join(line.split()) for line in source.text.split("\n")]
    assert lines == expected_lines(original)
    for word in CHROME_WORDS:
        assert word not in source.raw


def test_html(seed_path: Path, tmp_path: Path) -> None:
    original = seed_text(seed_path)
    path = tmp_path / "plan.html"
    path.write_text(make_html(original.split("\n")), encoding="utf-8")
    source = read_source(path)
    assert (source.format, source.encoding) == ("html", "utf-8")
    assert_plan_page(source, original)
    assert_spans_map_back(source)


def test_html_gb2312_page_with_br_lines(seed_path: Path) -> None:
    original = seed_text(seed_path)
    page = make_html(original.split("\n"), charset="gb2312")
    page = page.replace("</p>\n<p", "<br><br />\n<p", 5)  # a few paragraphs split by <br> only
    source = read_bytes(page.encode("gb18030"), "plan.htm")
    assert source.encoding == "gb18030"
    assert_plan_page(source, original)


def test_html_sniffed_and_title_outside_content() -> None:
    page = (
        "<html><body><nav>网站导航</nav><div class=wrap><h1>某县全民科学素质行动规划纲要实施方案</h1>"
        "<div class=info>来源：县科协</div><div class=content>"
        + "".join(f"<p>第{i}段正文内容，用于测试正文块的选取。</p>" for i in range(20))
        + "</div></div><div class=footer>联系我们</div></body></html>"
    )
    source = read_bytes(page.encode(), "download")
    assert source.format == "html"
    lines = source.text.split("\n")
    assert lines[0] == "某县全民科学素质行动规划纲要实施方案"
    assert lines[1] == "第0段正文内容，用于测试正文块的选取。" and len(lines) == 21
    assert "网站导航" not in source.text and "联系我们" not in source.text


def test_html_article_header_is_kept_page_header_is_not() -> None:
    page = (
        "<html><body><header><div>网站页头</div></header><article><header><h1>某县科学素质实施方案</h1>"
        "</header>" + "".join(f"<p>第{i}段正文。</p>" for i in range(10)) + "</article></body></html>"
    )
    source = read_bytes(page.encode(), "plan.html")
    assert source.text.split("\n")[:2] == ["某县科学素质实施方案", "第0段正文。"]
    assert "网站页头" not in source.text


# --- .pdf ---------------------------------------------------------------------------------------

def test_pdf(seed_path: Path, tmp_path: Path) -> None:
    original = seed_text(seed_path)
    path = tmp_path / "plan.pdf"
    path.write_bytes(make_pdf(original.split("\n")))
    source = read_source(path)
    assert (source.format, source.encoding) == ("pdf", None)
    # all the text, in order, and nothing else: no page numbers
    assert squeeze(source.text) == squeeze(normalize(original)[0].translate(DOTS))
    lines = source.text.split("\n")
    assert max(len(line.strip()) for line in lines) <= PDF_WIDTH  # lines kept as extracted
    assert not any(re.fullmatch(r"\s*(-\s*\d+\s*-|第\d+页)\s*", line) for line in lines)
    assert_offsets_sane(source)
    assert_spans_map_back(source, PHRASE[:2])  # a 4-character phrase may be wrapped


def test_pdf_under_another_suffix_is_read_as_pdf(seed_paths: list[Path]) -> None:
    data = make_pdf(seed_text(seed_paths[0]).split("\n")[:20])
    assert read_bytes(data, "plan.bin").format == "pdf"
    assert read_bytes(data, "plan.txt").format == "pdf"


# --- bad input ----------------------------------------------------------------------------------


def blank_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.rect(100, 100, 300, 400, fill=1)  # a scan: pictures, no text
    pdf.showPage()
    pdf.rect(50, 50, 100, 100)
    pdf.save()
    return buf.getvalue()


def zip_without_word() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return buf.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(2000)
NOISE = random.Random(2).randbytes(4096)
NOISE_NO_NUL = random.Random(2).randbytes(4096).replace(b"\x00", b"\x01")

BAD_INPUTS: dict[str, tuple[str, bytes | None, str]] = {
    # case: (file name, bytes (None: made by a function), words the reason holds)
    "empty-txt": ("plan.txt", b"", "empty file"),
    "blank-txt": ("plan.txt", b" \r\n\t\n", "empty file"),
    "empty-docx": ("plan.docx", b"", "empty file"),
    "random-txt": ("plan.txt", NOISE, "binary file"),
    "random-no-nul-txt": ("plan.txt", NOISE_NO_NUL, "binary file"),
    "png-txt": ("plan.txt", PNG, "PNG image"),
    "png": ("scan.png", PNG, "not a readable image"),
    "bin": ("plan.bin", NOISE, "unknown format"),
    "bin-no-nul": ("plan", NOISE_NO_NUL, "unknown format"),
    "garbage-docx": ("plan.docx", b"this is not a word file at all" * 20, "not a valid .docx"),
    "zip-garbage-docx": ("plan.docx", b"PK\x03\x04" + NOISE, "not a valid .docx"),
    "zip-without-word-docx": ("plan.docx", None, "not a valid .docx"),
    "blank-pdf": ("scan.pdf", None, "no text layer"),
    "garbage-pdf": ("plan.pdf", b"%PDF-1.4\n" + NOISE_NO_NUL, "pdf"),
    "not-pdf": ("plan.pdf", b"hello", "not a valid .pdf"),
    "undecodable-txt": ("plan.txt", b"abc \xff\xfe\xff def " * 50, "undecodable text"),
    "legacy-doc": ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + NOISE, "not a readable .doc"),
    "empty-html": ("plan.html", b"<html><body><script>x()</script></body></html>", "no text"),
}
MADE = {"zip-without-word-docx": zip_without_word, "blank-pdf": blank_pdf}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_raises_read_error_naming_file_and_reason(case: str, tmp_path: Path) -> None:
    name, data, reason = BAD_INPUTS[case]
    path = tmp_path / name
    path.write_bytes(data if data is not None else MADE[case]())
    with pytest.raises(ReadError) as caught:
        read_source(path)
    message = str(caught.value)
    assert str(path) in message and reason in message, message
    assert caught.value.file == str(path)


def test_missing_file_raises_read_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot read the file"):
        read_source(tmp_path / "absent.txt")


def test_read_bytes_names_the_upload() -> None:
    with pytest.raises(ReadError, match=r"^upload\.txt: empty file"):
        read_bytes(b"", "upload.txt")
