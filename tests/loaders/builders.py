"""Plan files in every format, built from a seed's text inside a test (never stored)."""

from __future__ import annotations

import html
import io

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


