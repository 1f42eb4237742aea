"""A horizontal bar chart drawn on the server as SVG: no script, no inline styles.

The table beside it carries the same figures; the chart is marked as an image
whose text alternative is that table.
"""

from dataclasses import dataclass

BAR_HEIGHT = 22
ROW_GAP = 30
CHART_WIDTH = 600
# Labels sit above the bars and may run wider than the longest bar.
VIEW_WIDTH = 960
LABEL_CHARACTERS = 110


@dataclass
class Bar:
    label: str
    y: int
    available_width: int
    committed_width: int


def bar_chart(balances) -> dict:
    """Geometry for one bar per line: full width is the largest available amount."""
    widest = max((balance.available for balance in balances), default=0)
    bars = []
    for index, balance in enumerate(balances):
        available_width = int(CHART_WIDTH * balance.available / widest) if widest > 0 else 0
        bars.append(
            Bar(
                label=_shorten(balance.line.name),
                y=index * (BAR_HEIGHT + ROW_GAP) + 18,
                available_width=available_width,
                committed_width=int(available_width * balance.committed_share),
            )
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "view_width": VIEW_WIDTH,
        "height": len(bars) * (BAR_HEIGHT + ROW_GAP) + 10,
        "bar_height": BAR_HEIGHT,
    }


def _shorten(label: str) -> str:
    """The chart's label; the table beside it always has the whole name."""
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"
