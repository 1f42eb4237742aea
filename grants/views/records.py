"""Filing a case in the records system (ESDH): the journal number, the case file as one
archive, the mark that it is filed, and the list of finished cases not yet filed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants import archive
from grants.forms import JournalNumberForm
from grants.permissions import conflict_reason, is_grant_officer
from grants.selectors import officer_cases
from grants.services import GrantError
from grants.services.records import (
    FILEABLE,
    archive_taken,
    filing_refusal,
    mark_filed,
    not_yet_filed,
    record_archive_taken,
    set_journal_number,
)
from grants.views.officers import _officer_case, _render_case
from portal.pagination import paginate
from portal.permissions import require


def case_records(application, user) -> dict:
    """What the case page's records section shows (one query: the last archive taken)."""
    taken = archive_taken(application)
    return {
        "journal_form": JournalNumberForm(
            initial={"journal_number": application.journal_number}, auto_id="journal_%s"
        ),
        "archive_taken": taken,
        "fileable": application.state in FILEABLE,
        "filing_refusal": filing_refusal(application, taken=taken),
        "may_keep_records": not conflict_reason(application, user),
    }


@login_required
@require_POST
def officer_journal_number(request, pk: int):
    application = _officer_case(request, pk)
    form = JournalNumberForm(request.POST, auto_id="journal_%s")
    if form.is_valid():
        try:
            set_journal_number(
                application=application,
                officer=request.user,
                journal_number=form.cleaned_data["journal_number"],
            )
        except GrantError as error:
            form.add_error("journal_number", str(error))
        else:
            messages.success(request, _("The journal number is saved."))
            return redirect("grants:officer_case", pk=application.pk)
    status = 403 if conflict_reason(application, request.user) else 400
    return _render_case(request, application, status=status, journal_form=form)


@login_required
@require_POST
def officer_archive(request, pk: int):
    """The case file as one ZIP archive with a manifest, written while it is sent."""
    application = _officer_case(request, pk)
    # Filing is the case's record keeping: not by an officer who may not act on it.
    require(not conflict_reason(application, request.user))
    files = archive.entries(application)
    if archive.too_large(files):
        messages.error(
            request,
            _(
                "The case file is larger than %(size)s MB: ask an administrator to take it "
                "from the server."
            )
            % {"size": settings.GRANT_ARCHIVE_MAX_BYTES // (1024 * 1024)},
        )
        return redirect("grants:officer_case", pk=application.pk)
    record_archive_taken(
        application=application,
        officer=request.user,
        files=len(files),
        size=archive.size_of(files),
    )
    response = StreamingHttpResponse(
        archive.stream(application, files), content_type="application/zip"
    )
    response["Content-Disposition"] = f'attachment; filename="case-{application.case_number}.zip"'
    return response


@login_required
@require_POST
def officer_filed(request, pk: int):
    application = _officer_case(request, pk)
    try:
        mark_filed(application=application, officer=request.user)
    except GrantError as error:
        messages.error(request, str(error))
        status = 403 if conflict_reason(application, request.user) else 409
        return _render_case(request, application, status=status)
    messages.success(request, _("The case is marked as filed in the records system."))
    return redirect("grants:officer_case", pk=application.pk)


@login_required
def to_file(request):
    """Finished cases (closed, rejected, withdrawn) whose file is not yet in the records
    system, oldest first."""
    require(is_grant_officer(request.user))
    cases = not_yet_filed().filter(pk__in=officer_cases().values("pk")).select_related("scheme")
    return render(request, "grants/staff/to_file.html", {"page": paginate(request, cases)})
