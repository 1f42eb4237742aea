"""A PDF read back as a reader sees it: which text is where, on which page (pypdf).

WeasyPrint writes each cell's or label's text as a run of its own, placed where its box
starts; pypdf gives each run's position in points from the page's bottom left corner.
"""

import io
from typing import NamedTuple

from pypdf import PdfReader


class Line(NamedTuple):
    page: int  # from 0
    x: int
    y: int
    text: str


def lines(content: bytes) -> list[Line]:
    """The text of each page as pypdf joins it into lines, each where it starts."""
    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(content)).pages):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                x, y = _position(cm, tm)
                found.append(Line(number, x, y, " ".join(text.split())))

        page.extract_text(visitor_text=visit)
    return found


def run_starts(content: bytes) -> list[tuple[int, int, int]]:
    """(page, x, y) of every run of text: where each cell of a table row starts."""
    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(content)).pages):

        def visit(operator, operands, cm, tm, number=number):
            if operator in (b"Tj", b"TJ"):
                found.append((number, *_position(cm, tm)))

        page.extract_text(visitor_operand_before=visit)
    return found


def line_starting(content: bytes, text: str) -> list[Line]:
    return [line for line in lines(content) if line.text.startswith(text)]


def beside(content: bytes, label: str) -> str:
    """The text on the same line as a label, right of it (a fact's value)."""
    (found,) = [line for line in lines(content) if line.text == label]
    right = [
        line
        for line in lines(content)
        if line.page == found.page and abs(line.y - found.y) <= 1 and line.x > found.x
    ]
    return " ".join(line.text for line in sorted(right, key=lambda line: line.x))


def _position(cm, tm) -> tuple[int, int]:
    return round(tm[4] * cm[0] + cm[4]), round(tm[5] * cm[3] + cm[5])
