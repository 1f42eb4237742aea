"""A data table that a phone shows as one card per row.

    {% load tables %}
    {% stacked_table %}<table>…</table>{% endstacked_table %}

gives every cell of the table's body and foot a `data-label` with its column's heading (the
last row of its head, spans counted) and the table a `data-stacked` attribute. On a narrow
screen portal.css lays each row out as a card, the row's heading on top and each figure
beside its label: the amount, what is left, the cost per participant are read without
scrolling sideways. It stays a real <table> for screen readers, and the headings are
written once, in the head (docs/decisions/a-data-table-is-a-card-per-row-on-a-phone.md).
A table that still does not fit its scroll box says so under it.
"""

from html.parser import HTMLParser

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


class _Cells(HTMLParser):
    """Finds where each cell's start tag ends its name, and its column's heading."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[str] = []  # per column, of the head's last row
        self.row: list[str] = []
        self.heading: list[str] | None = None  # the text of the head's cell being read
        self.span = 1
        self.section = ""
        self.column = 0
        self.inserts: list[tuple[tuple[int, int], str]] = []  # ((line, offset), text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and not self.inserts:
            self._insert(tag, " data-stacked")
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.column = 0
            if self.section == "thead":
                self.row = []
        elif tag in ("th", "td"):
            span = int(attributes.get("colspan") or 1)
            if self.section == "thead":
                self.heading, self.span = [], span
            elif self.section in ("tbody", "tfoot"):
                label = (
                    self.headings[self.column]
                    if span == 1 and self.column < len(self.headings)
                    else ""
                )
                if label and attributes.get("scope") != "row" and "data-label" not in attributes:
                    self._insert(tag, f' data-label="{escape(label)}"')
            self.column += span

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.heading is not None:
            text = " ".join("".join(self.heading).split())
            self.row += [text] * self.span
            self.heading = None
        elif tag == "tr" and self.section == "thead":
            self.headings = self.row
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = ""

    def handle_data(self, data):
        if self.heading is not None:
            self.heading.append(data)

    def _insert(self, tag: str, text: str) -> None:
        line, offset = self.getpos()
        self.inserts.append(((line, offset + 1 + len(tag)), text))


def label_cells(html: str) -> str:
    """The table's HTML with a `data-label` on every body and foot cell but row headings."""
    parser = _Cells()
    parser.feed(html)
    parser.close()
    starts = [0]
    for line in html.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    pieces, done = [], 0
    for (line, offset), text in parser.inserts:
        at = starts[line - 1] + offset
        pieces += [html[done:at], text]
        done = at
    pieces.append(html[done:])
    return "".join(pieces)


class StackedTableNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # After the table, in its scroll box: shown (portal.css) only when the table is wider
        # than the box and scrolls.
        cue = format_html(
            '<p class="scroll-cue">{}</p>', gettext("Scroll sideways to see every column.")
        )
        return mark_safe(label_cells(self.nodelist.render(context)) + cue)  # noqa: S308 (our own rendered HTML, attributes escaped)


@register.tag
def stacked_table(parser, token):
    nodelist = parser.parse(("endstacked_table",))
    parser.delete_first_token()
    return StackedTableNode(nodelist)
