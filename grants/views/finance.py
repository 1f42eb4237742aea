"""The finance department's payment list: the payments in a period, on a page and as CSV
and XLSX files in the reader's language. Finance clerks, grant officers and administrators
read it (grants.payments.can_read_payments)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants.forms import PaymentPeriodForm
from grants.models import GrantApplication
from grants.payments import COLUMNS, can_read_payments, default_period, payments
from portal import audit
from portal.csvexport import csv_response
from portal.dates import short_date
from portal.money import format_money
from portal.pagination import paginate
from portal.permissions import require
from portal.streaming import in_chunks
from portal.writers import csv_cells
from portal.xlsxexport import xlsx_response


class Cell(str):
    """A cell's text, knowing whether it is a figure (set right, labelled on a phone)."""

    figure = False


def _display(column, row) -> str:
    """A cell of the page's table, as the page writes a date or an amount."""
    value = column.of(row)
    if value in (None, ""):
        return Cell("")
    if column.type == "date":
        return Cell(short_date(value))
    if column.type == "decimal":
        cell = Cell(format_money(value))
        cell.figure = True
        return cell
    return Cell(value)


def _period(data):
    form = PaymentPeriodForm(data)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


@login_required
def payment_list(request):
    require(can_read_payments(request.user))
    start, end = default_period()
    data = request.GET if request.GET else {"start": start, "end": end}
    form, start, end = _period(data)
    rows = payments(start, end) if form.is_valid() else GrantApplication.objects.none()
    page = paginate(request, rows)
    sums = rows.aggregate(count=Count("pk"), total=Sum("amount_granted"))
    return render(
        request,
        "grants/staff/payments.html",
        {
            "form": form,
            "columns": COLUMNS,
            "page": page,
            "table": [[_display(column, row) for column in COLUMNS] for row in page.object_list],
            "count": sums["count"],
            "total": sums["total"] or 0,
            "start": start,
            "end": end,
        },
        status=200 if form.is_valid() else 400,
    )


@login_required
@require_POST
def payment_download(request):
    """The list of a period as CSV or XLSX; audited, since it names people."""
    require(can_read_payments(request.user))
    form, start, end = _period(request.POST)
    kind = request.POST.get("format")
    if not form.is_valid() or kind not in ("csv", "xlsx"):
        return render(
            request,
            "grants/staff/payments.html",
            {"form": form, "columns": COLUMNS, "table": [], "count": 0, "total": 0},
            status=400,
        )
    rows = payments(start, end)
    audit.record(
        actor=request.user,
        action="grant.export_payments",
        obj=request.user,
        summary=f"{kind}: {start.isoformat()}–{end.isoformat()}",
        start=start,
        end=end,
    )
    filename = f"payments-{start.isoformat()}-{end.isoformat()}.{kind}"
    texts = csv_cells(COLUMNS)
    if kind == "xlsx":
        return xlsx_response(filename, _("Payments"), COLUMNS, texts, in_chunks(rows))
    header = [str(column.label) for column in COLUMNS]
    return csv_response(
        filename, header, ([text(row) for text in texts] for row in in_chunks(rows))
    )
