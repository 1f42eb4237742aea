"""CSV files that open correctly in a spreadsheet of the page's language (UTF-8 with BOM;
semicolons where the decimal mark is a comma, commas where it is a point), and
that cannot run anything in it: a text cell a spreadsheet would read as a formula is
neutralised with an apostrophe. A spreadsheet may split the file on the other separator
(a Danish file opened where the separator is a comma) or on a tab (the import wizards'
default), so a formula character after a comma, a semicolon or a tab inside a text cell (or
after a line break) is neutralised too, not only at the cell's start. Numbers pass through
unchanged, so a negative amount stays a negative amount."""

import csv
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.http import StreamingHttpResponse

from portal.streaming import streamed

DELIMITER = ";"  # where the decimal mark is a comma (Danish, German)


def delimiter() -> str:
    """The separator a spreadsheet in the active language expects: ";" where the decimal
    mark is a comma (so 1.234,50 stays one cell), "," where it is a point (English)."""
    from portal.money import separators

    return DELIMITER if separators()[1] == "," else ","


# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Where a spreadsheet may start a cell inside our text: its start, either separator (whichever
# the file uses, the reader's may be the other), a tab (what Excel's and LibreOffice's text
# import split on by default), a line break; then spaces or quotes, which a
# spreadsheet may drop. An apostrophe goes before the formula character there; apostrophes
# already there get one more, so that `unneutralise` can remove exactly the one added.
_CELL_START = r"(^|[,;\t\r\n])([ \"]*)"
_FORMULA = "[" + re.escape("".join(FORMULA_START)) + "]"
_NEUTRALISE = re.compile(_CELL_START + "(?='*" + _FORMULA + ")")
_UNNEUTRALISE = re.compile(_CELL_START + "'(?='*" + _FORMULA + ")")


class Number(str):
    """A number already formatted for the reader ("-1234,50"): not text, never neutralised."""


def plain_number(decimals: int = 2):
    """How a CSV file in the active language writes an amount, as a function of it: plainly,
    with the language's decimal mark and no grouping ("29500.00" in English, "29500,00" in
    Danish and German), so that pandas, R and spreadsheets read a number without options
    (pandas: `read_csv(path)`, or `sep=";", decimal=","`). The data package says the same
    (`portal.datapackage`: decimalChar, no groupChar)."""
    from portal.money import separators

    step = Decimal(1).scaleb(-decimals)
    mark = separators()[1]

    def written(value) -> str:
        amount = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
        text = f"{amount if amount else abs(amount):.{decimals}f}"
        return text if mark == "." else text.replace(".", mark)

    return written


def safe_cell(value) -> str:
    """The cell as a spreadsheet will show it, never as a formula."""
    if value is None:
        return ""
    if isinstance(value, Number | int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return _NEUTRALISE.sub(r"\1\2'", str(value))


def unneutralise(text: str) -> str:
    """What was written before safe_cell, for importing a file the portal exported."""
    return _UNNEUTRALISE.sub(r"\1\2", text)


class _Line:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(header: list[str], rows) -> Iterator[str]:
    """The file line by line (a BOM and the headings first, before any row is read),
    holding one row at a time."""
    writer = csv.writer(_Line(), delimiter=delimiter())
    yield "\ufeff" + writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """A CSV download sent as it is written: the first line at once, memory bounded by a
    row (or by the chunk the rows are read in) whatever the number of rows."""
    response = StreamingHttpResponse(
        streamed(csv_lines(header, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
