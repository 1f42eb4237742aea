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

import re
from html import unescape

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

# The tags that make a table's structure; a cell's content (links, tags, text) is skipped
# unread. Our templates write these tags in lower case, and a ">" inside an attribute's
# value is always escaped by the template.
_STRUCTURE = re.compile(r"<(/?)(table|thead|tbody|tfoot|tr|th|td)(?=[\s>])([^>]*)>")
_COLSPAN = re.compile(r"""\bcolspan\s*=\s*["']?(\d+)""")
_ROW_HEADING = re.compile(r"""\bscope\s*=\s*["']?row\b""")
_ANY_TAG = re.compile(r"<[^>]*>")


def label_cells(html: str) -> str:
    """The table's HTML with a `data-label` on every body and foot cell but row headings:
    its column's heading (the head's last row, spans counted). One pass over the structure's
    tags: a page's tables are labelled in well under a millisecond."""
    pieces: list[str] = []
    done = 0
    section = ""
    headings: list[str] = []  # per column, of the head's last row
    row: list[str] = []
    column, span = 0, 1
    heading_from: int | None = None  # where the text of the head's cell being read starts
    stacked = False

    def insert(at: int, text: str) -> None:
        nonlocal done
        pieces.extend((html[done:at], text))
        done = at

    for match in _STRUCTURE.finditer(html):
        closing, tag, attributes = match.groups()
        if closing:
            if tag in ("th", "td") and heading_from is not None:
                text = unescape(_ANY_TAG.sub("", html[heading_from : match.start()]))
                row += [" ".join(text.split())] * span
                heading_from = None
            elif tag == "tr" and section == "thead":
                headings = row
            elif tag in ("thead", "tbody", "tfoot"):
                section = ""
            continue
        end_of_name = match.start() + 1 + len(tag)
        if tag == "table":
            if not stacked:
                insert(end_of_name, " data-stacked")
                stacked = True
        elif tag in ("thead", "tbody", "tfoot"):
            section = tag
        elif tag == "tr":
            column = 0
            if section == "thead":
                row = []
        else:
            found = _COLSPAN.search(attributes)
            span = int(found.group(1)) if found else 1
            if section == "thead":
                heading_from = match.end()
            elif section in ("tbody", "tfoot"):
                label = headings[column] if span == 1 and column < len(headings) else ""
                if label and not _ROW_HEADING.search(attributes) and "data-label" not in attributes:
                    insert(end_of_name, f' data-label="{escape(label)}"')
            column += span
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
