"""XLSX downloads of the public lists, written by openpyxl: typed cells (amounts and whole
numbers as numbers, dates as dates, codes and identifiers as text) so that a spreadsheet
sorts and sums them without any import settings, and no cell is ever a formula."""

import datetime
import tempfile
from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"decimal": "#,##0.00", "number": "0.00", "integer": "0", "date": "yyyy-mm-dd"}


def _text_cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"  # text, even when it starts with "=": never a formula
    return cell


def _cell(sheet, column, text, obj) -> WriteOnlyCell:
    """The column's cell of `obj`: typed, or `text(obj)` (the CSV's words) as text."""
    if column.type in ("code", "list", "text", "url", "boolean") or column.words:
        if column.type == "boolean" and column.words is None:
            value = column.of(obj)
            return WriteOnlyCell(sheet, value=None if value is None else bool(value))
        return _text_cell(sheet, text(obj))
    value = column.of(obj)
    if value is None or value == "":
        return WriteOnlyCell(sheet, value=None)
    if column.type in ("decimal", "number"):
        value = Decimal(str(value))
    elif column.type == "integer":
        value = int(value)
    elif column.type == "date" and isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = NUMBER_FORMATS[column.type]
    return cell


def xlsx_response(filename: str, title: str, columns, texts, objects) -> FileResponse:
    """The workbook, written row by row (openpyxl's write-only mode keeps rows on disk) into
    a temporary file that is then sent in blocks: memory stays bounded, but a spreadsheet
    file is complete only at its end, so its first byte comes once it is written. `texts`:
    each column's text cell as the CSV writes it (`portal.writers.csv_cells`)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=ILLEGAL_CHARACTERS_RE.sub("", title)[:31] or "Data")
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = _text_cell(sheet, column.label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    cells = list(zip(columns, texts, strict=True))
    for obj in objects:
        sheet.append([_cell(sheet, column, text, obj) for column, text in cells])
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=MEDIA_TYPE)
