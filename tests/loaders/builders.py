"""Plan files in every format, built from a seed's text inside a test (never stored)."""

from __future__ import annotations

import html
import io
from pathlib import Path

HALF_WIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";"})


def make_docx(lines: list[str], table_at: int = 6, cells: int = 4) -> bytes:
    """Paragraphs for the lines, with `cells` lines in the middle put into a 2-column table."""
    import docx

    document = docx.Document()
    for line in lines[:table_at]:
        document.add_paragraph(line)
    table = document.add_table(rows=cells // 2, cols=2)
    for i, line in enumerate(lines[table_at : table_at + cells]):
        table.cell(i // 2, i % 2).text = line
    for line in lines[table_at + cells :]:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


CHROME_WORDS = ["首页导航栏", "政务公开栏目", "当前位置", "相关链接甲", "版权所有", "NAVSCRIPT", "color:red", "窗口脚本"]


def make_html(lines: list[str], charset: str = "utf-8") -> str:
    paragraphs = []
    for i, line in enumerate(line for line in lines if line.strip()):
        body = html.escape(line).replace(" ", "&nbsp;" if i % 3 == 0 else " ")
        paragraphs.append(f"<div>{body}</div>" if i % 4 == 1 else f'<p style="text-indent:2em">{body}</p>')
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>政务公开栏目 - 某县人民政府</title>
<style>.nav {{ color:red }}</style>
<script>var NAVSCRIPT = "窗口脚本";</script>
</head><body>
<div class="header"><div class="logo">某县人民政府</div></div>
<nav><ul><li><a href="/">首页导航栏</a></li><li><a href="/g">政务公开栏目</a></li></ul></nav>
<div class="top-menu"><a href="/1">办事服务</a><a href="/2">互动交流</a></div>
<div class="main">
  <div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/g">通知公告</a></div>
  <div class="left"><ul class="links"><li><a href="/a">相关链接甲</a></li><li><a href="/b">相关链接乙</a></li>
    <li><a href="/c">相关链接丙</a></li></ul></div>
  <div class="article">
    <div id="zoom" class="TRS_Editor">
{chr(10).join(paragraphs)}
    </div>
  </div>
</div>
<noscript>请开启窗口脚本</noscript>
<footer><p>版权所有：某县人民政府办公室</p></footer>
<script>document.write("窗口脚本");</script>
</body></html>"""


PARAGRAPH_INDENT = 24.0  # two 12-point characters, as Chinese documents indent
PDF_WIDTH = 34  # characters per drawn line: long paragraphs wrap mid-word
DOTS = str.maketrans("", "", "·•‧")  # STSong-Light has no glyph for these: reportlab drops them


def make_pdf(lines: list[str]) -> bytes:
    """A4 pages in STSong-Light; page numbers "- n -" at odd page bottoms, "第n页" at even tops."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    state = {"y": height - 60.0, "page": 1}

    def page_number() -> None:
        pdf.setFont("STSong-Light", 10)
        if state["page"] % 2:
            pdf.drawCentredString(width / 2, 30, f"- {state['page']} -")
        else:
            pdf.drawCentredString(width / 2, height - 30, f"第{state['page']}页")

    for line in lines:
        line = line.strip()
        chunks = [line[i : i + PDF_WIDTH] for i in range(0, len(line), PDF_WIDTH)] or [""]
        for n, chunk in enumerate(chunks):
            if state["y"] < 60:
                page_number()
                pdf.showPage()
                state["y"], state["page"] = height - 60.0, state["page"] + 1
            pdf.setFont("STSong-Light", 12)
            indent = PARAGRAPH_INDENT if n == 0 else 0.0  # a paragraph's first line is indented
            pdf.drawString(50 + indent, state["y"], chunk.translate(DOTS))
            state["y"] -= 16
    page_number()
    pdf.save()
    return buf.getvalue()




def make_indented_docx(lines: list[str]) -> bytes:
    """A Word file as an office writes one: every paragraph's first line indented two characters."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    for line in lines:
        paragraph = document.add_paragraph(line.strip())
        paragraph.paragraph_format.first_line_indent = Pt(24)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def soffice_convert(data: bytes, source_suffix: str, target: str, folder: Path) -> bytes:
    """What LibreOffice headless makes of a file (as an office's "save as" does), in `folder`."""
    import shutil
    import subprocess

    program = shutil.which("soffice")
    assert program, "LibreOffice (soffice) is not installed: run scripts/setup.sh"
    source = folder / f"source.{source_suffix}"
    source.write_bytes(data)
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [program, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", target,
         "--outdir", str(folder / "converted"), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    return (folder / "converted" / f"source.{target.split(':')[0]}").read_bytes()


def make_doc(lines: list[str], folder: Path) -> bytes:
    """A Word 97 .doc converted by LibreOffice from a .docx with indented paragraphs."""
    return soffice_convert(make_indented_docx(lines), "docx", "doc:MS Word 97", folder)


OFD_NS = "http://www.ofdspec.org/2016"
OFD_SIZE = 4.2  # mm: a 12-point character
OFD_LINE = 5.6  # mm between baselines
OFD_WIDTH = 34  # characters per line, as make_pdf


def make_ofd(lines: list[str], split_runs: bool = True) -> bytes:
    """An OFD (GB/T 33190) of the lines, written as its standard lays one out: OFD.xml -> Doc_0/
    Document.xml -> Pages/Page_N/Content.xml holding TextObjects (Boundary, Size) with TextCodes
    (X, Y, DeltaX). Lines wrap at OFD_WIDTH characters, a paragraph's first line indented two
    characters; each line is written as two TextObjects (as office software splits runs at a
    change of font) when `split_runs`; page numbers "- n -" at each page's foot."""
    import zipfile
    from xml.sax.saxutils import escape

    pages: list[list[tuple[float, float, str]]] = [[]]
    y = 20.0
    for line in lines:
        line = line.strip()
        chunks = [line[i : i + OFD_WIDTH] for i in range(0, len(line), OFD_WIDTH)] or [""]
        for n, chunk in enumerate(chunks):
            if y > 270:
                pages.append([])
                y = 20.0
            if chunk:
                pages[-1].append((20.0 + (2 * OFD_SIZE if n == 0 else 0.0), y, chunk))
            y += OFD_LINE

    def text_object(ident: int, x: float, y: float, text: str) -> str:
        width = len(text) * OFD_SIZE
        delta = f"g {len(text) - 1} {OFD_SIZE}" if len(text) > 1 else ""
        return (
            f'<ofd:TextObject ID="{ident}" Boundary="{x:.2f} {y - OFD_SIZE:.2f} {width:.2f} {OFD_LINE:.2f}" '
            f'Font="2" Size="{OFD_SIZE}"><ofd:FillColor Value="0 0 0"/>'
            f'<ofd:TextCode X="0" Y="{OFD_SIZE:.2f}" DeltaX="{delta}">{escape(text)}</ofd:TextCode></ofd:TextObject>'
        )

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("OFD.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>0c1f2d</ofd:DocID><ofd:Creator>test</ofd:Creator></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ))
        page_refs = "".join(f'<ofd:Page ID="{100 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
        archive.writestr("Doc_0/Document.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
            "<ofd:MaxUnitID>99999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>"
        ))
        archive.writestr("Doc_0/PublicRes.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
        ))
        for i, page in enumerate(pages):
            objects = []
            ident = 1000
            for x, y, text in page:
                cut = len(text) // 3 if split_runs and len(text) > 6 else len(text)
                for piece, px in ((text[:cut], x), (text[cut:], x + cut * OFD_SIZE)):
                    if piece:
                        objects.append(text_object(ident, px, y, piece))
                        ident += 1
            objects.append(text_object(ident, 100.0, 285.0, f"- {i + 1} -"))
            archive.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", (
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
                f'<ofd:Layer ID="{900 + i}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'
            ))
    return buf.getvalue()


def make_scanned_pdf(lines: list[str], dpi: int = 150) -> bytes:
    """A scan: the text PDF of `make_pdf` drawn to images at `dpi`, the images wrapped into a PDF
    with no text layer (as a scanner's software writes one)."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(make_pdf(lines))
    images: list[Image.Image] = []
    try:
        for page in document:
            images.append(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
    finally:
        document.close()
    buf = io.BytesIO()
    images[0].save(buf, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return buf.getvalue()


def make_wrapped_text(lines: list[str], width: int = 34) -> str:
    """Text as copied out of a PDF: every paragraph cut into lines of `width` characters, no
    indentation, no blank lines."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        out.extend(line[i : i + width] for i in range(0, len(line), width))
    return "\n".join(out) + "\n"


TASK_TABLE_HEADER = ("序号", "主要任务", "牵头单位", "配合单位")
# A task table: (action title, [(task title, leads, supporters)]) per action.
TaskTable = list[tuple[str, list[tuple[str, list[str], list[str]]]]]


def _table_rows(table: TaskTable) -> list[tuple[str, ...]]:
    """Header, then per action an action row "（一）title" and a row per task."""
    numbers = "一二三四五六七八九十"
    rows: list[tuple[str, ...]] = [TASK_TABLE_HEADER]
    seq = 0
    for a, (action, tasks) in enumerate(table):
        rows.append((f"（{numbers[a]}）{action}",))
        for title, leads, supporters in tasks:
            seq += 1
            rows.append((str(seq), title, "、".join(leads), "、".join(supporters)))
    return rows


def make_docx_with_table(lines: list[str], table: TaskTable, appendix_title: str = "重点任务分工表", marker: str | None = "附件") -> bytes:
    """A Word file of the lines followed by an appendix holding the task table (action rows merged
    across all columns, as offices draw them); `marker` None: the table follows the text directly."""
    import docx

    document = docx.Document()
    for line in lines:
        if line.strip():
            document.add_paragraph(line.strip())
    if marker:
        document.add_paragraph(marker)
    document.add_paragraph(appendix_title)
    rows = _table_rows(table)
    grid = document.add_table(rows=len(rows), cols=len(TASK_TABLE_HEADER))
    for r, row in enumerate(rows):
        if len(row) == 1:
            merged = grid.cell(r, 0).merge(grid.cell(r, len(TASK_TABLE_HEADER) - 1))
            merged.text = row[0]
        else:
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def make_html_with_table(lines: list[str], table: TaskTable, appendix_title: str = "重点任务分工表", marker: str | None = "附件") -> str:
    """A web page of the lines followed by an appendix holding the task table (action rows as one
    cell spanning the columns); `marker` None: the table follows the text directly."""
    body = "\n".join(f'<p style="text-indent:2em">{html.escape(line.strip())}</p>' for line in lines if line.strip())
    cells = []
    for row in _table_rows(table):
        if len(row) == 1:
            cells.append(f'<tr><td colspan="{len(TASK_TABLE_HEADER)}">{html.escape(row[0])}</td></tr>')
        else:
            tag = "th" if row == TASK_TABLE_HEADER else "td"
            cells.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row) + "</tr>")
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>实施方案</title></head><body>'
        f'<div class="article">{body}\n{f"<p>{marker}</p>" if marker else ""}<p>{html.escape(appendix_title)}</p>'
        f'<table border="1">{"".join(cells)}</table></div></body></html>'
    )
