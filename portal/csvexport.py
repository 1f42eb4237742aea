"""CSV files that open correctly in a Danish spreadsheet: UTF-8 with BOM, semicolons."""

import csv

from django.http import HttpResponse

DELIMITER = ";"


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=DELIMITER)
    writer.writerow(header)
    writer.writerows(rows)
    return response
