from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budgets.services import BudgetError
from grants import datasets, services
from grants.enums import ApplicationState
from grants.filters import ApplicationFilter
from grants.forms import (
    AnswerForm,
    ApplicationForm,
    ApproveForm,
    CsvConfirmForm,
    QuestionForm,
    RejectForm,
    ReportForm,
)
from grants.models import Attachment, GrantApplication, GrantScheme
from grants.permissions import is_grant_officer
from grants.selectors import statistics
from portal import audit
from portal.csvexport import csv_response
from portal.opendata import requested_format
from portal.pagecache import public_page
from portal.pagination import paginate
from portal.permissions import require

S = ApplicationState

# Public: schemes, applying, the private case page


@public_page
def scheme_list(request):
    today = timezone.localdate()
    schemes = list(GrantScheme.objects.all())
    if fmt := requested_format(request):
        return datasets.GRANT_SCHEMES.response(fmt, schemes)
    return render(
        request,
        "grants/scheme_list.html",
        {
            "open_schemes": [s for s in schemes if s.is_open_on(today)],
            "closed_schemes": [s for s in schemes if not s.is_open_on(today)],
            "dataset": datasets.GRANT_SCHEMES,
        },
    )


def apply(request, slug: str):
    scheme = get_object_or_404(GrantScheme, slug=slug)
    form = ApplicationForm(request.POST or None, request.FILES or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        application = form.save(commit=False)
        application.scheme = scheme
        services.submit_application(
            application=application,
            files=form.cleaned_data["attachments"],
            language=get_language()[:2],
        )
        return redirect(application.get_case_url())
    return render(request, "grants/apply.html", {"scheme": scheme, "form": form})


def _case(token: str) -> GrantApplication:
    application = get_object_or_404(
        GrantApplication.objects.select_related("scheme", "partner_city"),
        token=token,
        personal_data_erased_at__isnull=True,
    )
    return application


def case(request, token: str):
    application = _case(token)
    answer_form = AnswerForm()
    report_form = ReportForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "answer":
                answer_form = AnswerForm(request.POST, request.FILES)
                if answer_form.is_valid():
                    services.answer(
                        application=application,
                        text=answer_form.cleaned_data["text"],
                        files=answer_form.cleaned_data["attachments"],
                    )
                    messages.success(request, _("Thank you. Your answer has been sent."))
                    return redirect(application.get_case_url())
            elif action == "report":
                report_form = ReportForm(request.POST, request.FILES)
                if report_form.is_valid():
                    services.submit_report(
                        application=application,
                        report=report_form.cleaned_data["report"],
                        cost=report_form.cleaned_data["cost"],
                        files=report_form.cleaned_data["photos"],
                    )
                    messages.success(request, _("Thank you. Your report has been sent."))
                    return redirect(application.get_case_url())
            elif action == "withdraw":
                services.withdraw(application=application)
                messages.success(request, _("Your application is withdrawn."))
                return redirect(application.get_case_url())
        except services.GrantError as error:
            messages.error(request, str(error))
            return redirect(application.get_case_url())
    return render(
        request,
        "grants/case.html",
        {
            "application": application,
            "events": application.events.all(),
            "case_messages": application.messages.all(),
            "answer_form": answer_form,
            "report_form": report_form,
            "can_withdraw": application.state
            in (S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED, S.APPROVED),
            "can_report": application.state in (S.PAID, S.REPORT_DUE)
            and not application.report_submitted_at,
        },
    )


def _letter_response(application: GrantApplication):
    if not application.decision_letter:
        raise Http404
    return FileResponse(
        application.decision_letter.open("rb"),
        content_type="application/pdf",
        filename=f"decision-{application.pk}.pdf",
    )


def case_letter(request, token: str):
    return _letter_response(_case(token))


@public_page
def public_statistics(request):
    rows = statistics()
    if fmt := requested_format(request):
        return datasets.GRANT_STATISTICS.response(fmt, rows)
    return render(
        request, "grants/statistics.html", {"rows": rows, "dataset": datasets.GRANT_STATISTICS}
    )


# Staff: the officers' queue and case page


@login_required
def queue(request):
    require(is_grant_officer(request.user))
    filterset = ApplicationFilter(
        request.GET, queryset=GrantApplication.objects.select_related("scheme", "partner_city")
    )
    applications = filterset.qs if filterset.is_valid() else GrantApplication.objects.none()
    return render(
        request,
        "grants/staff/queue.html",
        {
            "filter": filterset,
            "page": paginate(request, applications),
            "csv_form": CsvConfirmForm(),
        },
    )


@login_required
@require_POST
def queue_csv(request):
    require(is_grant_officer(request.user))
    if not CsvConfirmForm(request.POST).is_valid():
        messages.error(request, _("Confirm that you will keep the file safe."))
        return redirect(f"{reverse('grants:queue')}?{request.GET.urlencode()}")
    filterset = ApplicationFilter(
        request.GET, queryset=GrantApplication.objects.select_related("scheme", "partner_city")
    )
    rows = [
        [
            a.pk,
            a.scheme.name_da,
            a.get_state_display(),
            a.submitted_at.date(),
            a.applicant_name,
            a.applicant_email,
            a.organisation,
            a.destination,
            a.departs_on,
            a.amount_requested,
            a.amount_granted or "",
        ]
        for a in (filterset.qs if filterset.is_valid() else [])
    ]
    audit.record(
        actor=request.user,
        action="grant.export_csv",
        obj=request.user,
        summary=f"{len(rows)} rows, filters: {request.GET.urlencode() or '-'}",
    )
    header = [
        _("Case"),
        _("Scheme"),
        _("State"),
        _("Submitted"),
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("Destination"),
        _("Departure"),
        _("Applied for"),
        _("Granted"),
    ]
    return csv_response("grant-applications.csv", header, rows)


def _officer_case(request, pk: int) -> GrantApplication:
    require(is_grant_officer(request.user))
    return get_object_or_404(
        GrantApplication.objects.select_related("scheme", "partner_city", "decided_by"), pk=pk
    )


@login_required
def officer_case(request, pk: int):
    application = _officer_case(request, pk)
    return render(
        request,
        "grants/staff/case.html",
        {
            "application": application,
            "events": application.events.select_related("officer"),
            "case_messages": application.messages.all(),
            "attachments": application.attachments.all(),
            "proposal": getattr(application, "proposal", None),
            "approve_form": ApproveForm(initial={"amount": application.amount_requested}),
            "reject_form": RejectForm(),
            "question_form": QuestionForm(),
            "S": S,
        },
    )


ACTIONS = {
    "review": lambda a, officer, data: services.start_review(application=a, officer=officer),
    "paid": lambda a, officer, data: services.mark_paid(application=a, officer=officer),
    "report_due": lambda a, officer, data: services.simple_move(
        application=a, officer=officer, to_state=S.REPORT_DUE
    ),
    "report_received": lambda a, officer, data: services.simple_move(
        application=a, officer=officer, to_state=S.REPORT_RECEIVED
    ),
    "close": lambda a, officer, data: services.simple_move(
        application=a, officer=officer, to_state=S.CLOSED
    ),
    "confirm": lambda a, officer, data: services.confirm_approval(application=a, officer=officer),
}


@login_required
@require_POST
def officer_action(request, pk: int, action: str):
    application = _officer_case(request, pk)
    forms = {"approve": ApproveForm, "reject": RejectForm, "question": QuestionForm}
    try:
        if action in forms:
            form = forms[action](request.POST)
            if not form.is_valid():
                raise services.GrantError(
                    " ".join(str(error) for errors in form.errors.values() for error in errors)
                )
            data = form.cleaned_data
            if action == "approve":
                services.approve(
                    application=application,
                    officer=request.user,
                    amount=data["amount"],
                    reason=data["reason"],
                )
            elif action == "reject":
                services.reject(
                    application=application, officer=request.user, reason=data["reason"]
                )
            else:
                services.request_information(
                    application=application, officer=request.user, question=data["question"]
                )
        elif action in ACTIONS:
            ACTIONS[action](application, request.user, request.POST)
        else:
            raise Http404
    except (services.GrantError, BudgetError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("grants:officer_case", pk=application.pk)


@login_required
def officer_attachment(request, pk: int):
    require(is_grant_officer(request.user))
    attachment = get_object_or_404(Attachment, pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
def officer_letter(request, pk: int):
    return _letter_response(_officer_case(request, pk))
