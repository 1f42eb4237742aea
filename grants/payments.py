"""Payments of grants: who may read the finance department's payment list, which payments
it lists, its columns (one declaration for the page, the CSV and the XLSX file), and what a
batch of cases adds up to before an officer acts on it."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models import GrantApplication
from portal.opendata import Column

# The longest period one list or download covers: a year and a day (a whole year, either
# end included), so that a list stays a finance clerk's list and not the whole history.
MAX_DAYS = 366


def can_read_payments(user) -> bool:
    """The finance clerk's one right, which grant officers and administrators have too
    (the data migration gives it to the three roles)."""
    return user.is_active and user.has_perm("grants.view_payment_list")


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """This month so far."""
    today = today or timezone.localdate()
    return today.replace(day=1), today


def payments(start: datetime.date, end: datetime.date):
    """The payments recorded with a payment date in the period, oldest first: one query,
    whatever their number. A reversed payment is no longer here (its case has no payment
    date); the case's history and the audit log keep it."""
    return (
        GrantApplication.objects.filter(paid_on__gte=start, paid_on__lte=end)
        .select_related("scheme")
        .order_by("paid_on", "pk")
    )


def total(rows) -> Decimal:
    return sum((row.amount_granted or Decimal(0) for row in rows), Decimal(0))


# The payment list's columns: the page's table, the CSV and the XLSX file all read these.
COLUMNS = [
    Column(
        "paid_on",
        _("Payment date"),
        _("The day the finance system paid the grant."),
        type="date",
    ),
    Column(
        "payment_reference",
        _("Reference"),
        _("The finance system's reference for the payment."),
    ),
    Column(
        "case_number",
        _("Case"),
        _("The portal's case number."),
        type="code",
        value=lambda row: row.case_number,
        reads=("pk", "submitted_at"),
    ),
    Column(
        "journal_number",
        _("Journal number"),
        _("The case's number in the records system, where recorded."),
        type="code",
    ),
    Column(
        "applicant_name",
        _("Payee"),
        _("The applicant the grant is paid to."),
    ),
    Column(
        "organisation",
        _("Organisation"),
        _("The association, school or workplace, where given."),
    ),
    Column(
        "organisation_cvr",
        _("CVR number"),
        _("The organisation's CVR number, where given."),
        type="code",
    ),
    Column(
        "scheme",
        _("Scheme"),
        _("The grant scheme."),
        value=lambda row: row.scheme.name,
        reads=("scheme__name",),
    ),
    Column(
        "amount_granted",
        _("Amount"),
        _("The amount paid: the grant."),
        type="decimal",
    ),
]


def batch_summary(cases) -> dict:
    """What the officer is shown before a batch acts: the cases, their count and total
    (the amount granted, or applied for where nothing is granted yet)."""
    cases = list(cases)
    amounts = [case.amount_granted or case.amount_requested for case in cases]
    return {"cases": cases, "count": len(cases), "total": sum(amounts, Decimal(0))}
