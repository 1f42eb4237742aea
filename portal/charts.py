"""Horizontal bar charts drawn on the server as SVG: no script, no inline styles.

Every chart stands beside a table with the same figures, which is its text alternative.
Widths are percentages and text sizes are pixels, so labels stay readable at phone width
(a chart scaled down by a viewBox shrank its labels to 5 px); labels and values wrap
instead. The longest bar fills the width; its outline is drawn just past the SVG's edge,
in the figure's padding (portal.css), so it keeps its right border.
"""

import textwrap
from dataclasses import dataclass
from decimal import Decimal

LINE = 18  # px per line of text
BAR = 20
GAP = 16
LABEL_WIDTH = 38  # characters per label line: fits a 390-px screen at 14 px
VALUE_WIDTH = 34  # characters per line of a bar's value, in bold


@dataclass
class Bar:
    lines: list[tuple[str, int]]  # (text, y) of the label's lines
    value: str
    value_lines: list[tuple[str, int]]  # (text, y) of the value's lines: it wraps as well
    bar_y: int
    whole: float  # percent of the chart's width
    part: float | None  # percent, filled; None for a single filled bar

    @property
    def width(self) -> str:
        """`whole` as the SVG attribute says it."""
        return svg_percent(self.whole)

    @property
    def filled(self) -> str:
        """`part` as the SVG attribute says it."""
        return svg_percent(self.part or 0)


def svg_percent(value: float) -> str:
    """A percentage as SVG reads it in every language: "16.28%". The template's own
    rendering writes a number the page's way, "16,28" in Danish and German, which SVG
    rejects: the bar is drawn 0 px wide."""
    return f"{value:.2f}%"


def bar_chart(rows, *, key: str, title: str, legend: tuple[str, str] | None = None) -> dict:
    """rows: [(label, whole, part or None, value text)]. The largest whole fills the width."""
    rows = list(rows)
    widest = max((Decimal(row[1]) for row in rows), default=Decimal(0))
    bars, y = [], 0
    for label, whole, part, value in rows:
        lines = []
        for text in (textwrap.wrap(str(label), LABEL_WIDTH) or [""])[:3]:
            y += LINE
            lines.append((text, y))
        # A value is bold, a little wider a letter: "8,000 kr. spent of 20,000 kr., of which
        # 0 kr. carried in" on one line was cut at 390 px.
        value_lines = []
        for text in textwrap.wrap(str(value), VALUE_WIDTH) or [""]:
            y += LINE
            value_lines.append((text, y))
        bar_y = y + 6
        whole_pct = float(Decimal(whole) / widest * 100) if widest > 0 else 0.0
        part_pct = None
        if part is not None:
            share = Decimal(part) / Decimal(whole) if Decimal(whole) > 0 else Decimal(0)
            part_pct = whole_pct * float(min(Decimal(1), max(Decimal(0), share)))
        bars.append(Bar(lines, str(value), value_lines, bar_y, round(whole_pct, 2),
                        None if part_pct is None else round(part_pct, 2)))  # fmt: skip
        y = bar_y + BAR + GAP
    return {
        "key": key,
        "title": title,
        "bars": bars,
        "height": y,
        "bar_height": BAR,
        "legend": legend,
    }
