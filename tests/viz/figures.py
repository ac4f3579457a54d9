"""Reading figures back: the text of an SVG, its node boxes, a PNG's width, a PDF's pages.

Small readers written for the tests (standard library only), so a figure is checked by what it
holds, not by the code that made it.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from itertools import combinations

from tests.seed_truth import ES

SVG = "{http://www.w3.org/2000/svg}"
A4_POINTS = (595.28, 841.89)

Box = tuple[float, float, float, float]


def agencies_of(expected: ES) -> set[str]:
    """Every agency name the plan writes, as the oracle read it."""
    names: set[str] = set()
    for action in expected.actions:
        names |= set(action.leads)
        for task in action.tasks:
            names |= set(task.lead) | set(task.support) | set(task.responsible)
    return names


def svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def svg_words(svg: bytes) -> set[str]:
    """The names on an SVG's text elements: split at spaces and 、, counts dropped."""
    words = set()
    for text in svg_texts(svg):
        words.update(w for w in re.split(r"[\s、]+", text) if w and not w.isdigit())
    return words


def node_boxes(svg: bytes) -> dict[str, Box]:
    """(left, top, right, bottom) of each node's outline in an SVG from Graphviz."""
    boxes = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if g.get("class") != "node":
            continue
        title = g.find(f"{SVG}title")
        shape = g.find(f"{SVG}polygon")
        path = g.find(f"{SVG}path")  # rounded boxes are Bezier paths
        if shape is not None or path is not None:
            points = shape.get("points", "") if shape is not None else path.get("d", "")
            pairs = re.findall(r"(-?[\d.]+),(-?[\d.]+)", points)
            xs, ys = zip(*((float(x), float(y)) for x, y in pairs))
            box = (min(xs), min(ys), max(xs), max(ys))
        else:
            e = g.find(f"{SVG}ellipse")
            assert e is not None, "a node without an outline"
            cx, cy, rx, ry = (float(e.get(k, 0)) for k in ("cx", "cy", "rx", "ry"))
            box = (cx - rx, cy - ry, cx + rx, cy + ry)
        boxes[title.text if title is not None else str(len(boxes))] = box
    return boxes


def overlapping(boxes: dict[str, Box], slack: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of boxes that overlap by more than ``slack`` points both ways."""
    out = []
    for (a, p), (b, q) in combinations(boxes.items(), 2):
        dx = min(p[2], q[2]) - max(p[0], q[0])
        dy = min(p[3], q[3]) - max(p[1], q[1])
        if dx > slack and dy > slack:
            out.append((a, b))
    return out


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height (points) of each page of a PDF whose page objects are not compressed."""
    assert pdf[:5] == b"%PDF-", "not a PDF"
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s*\]", pdf)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]
