from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from budgets.services import BudgetError
from grants import datasets, drafts, services, workflow
from grants.enums import Actor, ApplicationState, EventKind
from grants.filters import ApplicationFilter
from grants.forms import (
    AnswerForm,
    ApplicationForm,
    ApproveForm,
    BatchForm,
    ConfirmForm,
    ConflictForm,
    CsvConfirmForm,
    QuestionForm,
    RejectForm,
    ReportForm,
)
from grants.models import Attachment, GrantApplication, GrantScheme
from grants.permissions import (
    allowed_actions,
    conflict_reason,
    is_grant_officer,
    refusal,
)
from grants.rules import rules_in_words
from grants.selectors import officer_cases, statistics, statistics_years
from grants.status import applicant_status, officer_waiting, queue_facts
from grants.workflow import confirmation_expired, pending_proposal
from portal import audit
from portal.charts import bar_chart
from portal.clients import client_address, client_key
from portal.csvexport import csv_response
from portal.money import format_money
from portal.opendata import FORMAT_PARAMETER, requested_format
from portal.pagecache import public_page
from portal.pagination import paginate
from portal.permissions import require
from portal.statistics import published_until
from portal.uploads import file_response

S = ApplicationState

# Public: schemes, applying, the private case page


@public_page(reads=[FORMAT_PARAMETER])
def scheme_list(request):
    today = timezone.localdate()
    schemes = list(GrantScheme.objects.all())
    if fmt := requested_format(request):
        return datasets.GRANT_SCHEMES.response(request, fmt, schemes)
    return render(
        request,
        "grants/scheme_list.html",
        {
            "open_schemes": [s for s in schemes if s.is_open_on(today)],
            "closed_schemes": [s for s in schemes if not s.is_open_on(today)],
            "dataset": datasets.GRANT_SCHEMES,
        },
    )


@never_cache
def apply(request, slug: str):
    """The form. A valid form is kept as a draft and the visitor checks their answers
    (`check_answers`) before anything is sent; a draft comes back here to be changed."""
    scheme = get_object_or_404(GrantScheme, slug=slug)
    draft = drafts.get(request, scheme)
    kept = drafts.file_names(draft)
    if request.method != "POST":
        form = ApplicationForm(
            drafts.data(draft) if draft else None, scheme=scheme, kept_files=kept
        )
        if draft:
            form.full_clean()  # shows what still needs correcting, with what was typed
        return _apply_page(request, scheme, form)
    chosen = request.FILES.getlist("attachments")
    files = request.FILES if chosen or not draft else _files_dict(drafts.files(draft))
    form = ApplicationForm(request.POST, files, scheme=scheme, kept_files=[] if chosen else kept)
    if form.is_bot:
        return redirect("grants:submitted")
    if not form.is_valid() or drafts.too_long(form):
        return _apply_page(request, scheme, form)
    if not drafts.allowed(client_key(request)):
        if chosen:
            form.add_error("attachments", _("Too many files from you this hour. Try again later."))
        else:
            form.add_error(None, _("Too many forms from you this hour. Try again later."))
        return _apply_page(request, scheme, form, status=429)
    new_files = form.cleaned_data["attachments"] if chosen else None
    if not drafts.room_for(request, form, new_files):
        form.add_error(
            None,
            _(
                "Too many applications are being filled in right now for us to keep yours. "
                "Nothing was saved. Try again later."
            ),
        )
        response = _apply_page(request, scheme, form, status=503)
        response["Retry-After"] = "3600"  # abandoned drafts are purged hourly
        return response
    drafts.save(request, scheme, form, new_files)
    return redirect("grants:check", slug=scheme.slug)


def _apply_page(request, scheme, form, status=200):
    return render(
        request,
        "grants/apply.html",
        {"scheme": scheme, "form": form, "rules": rules_in_words(scheme)},
        status=status,
    )


def _files_dict(uploads) -> MultiValueDict:
    return MultiValueDict({"attachments": uploads})


@never_cache
def check_answers(request, slug: str):
    """Check your answers: every section with a link to change it, then send. Sending
    checks the form again (the scheme may have closed meanwhile) and submits it."""
    scheme = get_object_or_404(GrantScheme, slug=slug)
    draft = drafts.get(request, scheme)
    if draft is None:
        messages.info(request, _("Fill in the form first."))
        return redirect("grants:apply", slug=scheme.slug)
    form = ApplicationForm(drafts.data(draft), _files_dict(drafts.files(draft)), scheme=scheme)
    if not form.is_valid():
        messages.error(request, _("Something in the application needs correcting first."))
        return redirect("grants:apply", slug=scheme.slug)
    if request.method == "POST":
        application = form.save(commit=False)
        application.scheme = scheme
        try:
            application = services.submit_application(
                application=application,
                files=form.cleaned_data["attachments"],
                language=get_language()[:2],
                submission_key=form.submission_key,
                client_key=client_key(request),
            )
        except services.SubmissionRefused as refused:
            messages.error(request, str(refused))
            return render(
                request,
                "grants/check_answers.html",
                {"scheme": scheme, "form": form, "sections": form.answers()},
                status=429,
            )
        drafts.discard(request)
        # Not the case's link: that is mailed, so only the address's owner gets it.
        request.session[SENT_KEY] = {
            "case": application.pk,
            "scheme": str(scheme.name),
            "email": application.applicant_email,
        }
        return redirect("grants:submitted")
    return render(
        request,
        "grants/check_answers.html",
        {"scheme": scheme, "form": form, "sections": form.answers()},
    )


SENT_KEY = "grant_sent"


@never_cache
def submitted(request):
    """What happens next. The case's number and the address are shown only in the browser
    that sent the application (they come from its session), and only once."""
    return render(
        request,
        "grants/submitted.html",
        {
            "sent": request.session.pop(SENT_KEY, None),
            "hours": settings.GRANT_CONFIRMATION_HOURS,
            "decision_days": settings.GRANT_DECISION_DAYS,
        },
    )


def _case(token: str) -> GrantApplication:
    application = get_object_or_404(
        GrantApplication.objects.select_related("scheme", "partner_city"),
        token=token,
        personal_data_erased_at__isnull=True,
    )
    return application


@never_cache
def case(request, token: str):
    application = _case(token)
    if confirmation_expired(application):
        return _confirmation_expired(request, application)
    forms = {"answer": AnswerForm(), "report": ReportForm()}
    actions = allowed_actions(application)
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in actions or action == "withdraw":  # withdrawing has its own page
            messages.error(request, _("This cannot be done to your application now."))
            return redirect(application.get_case_url())
        form = None
        if action in forms:
            form = forms[action] = type(forms[action])(request.POST, request.FILES)
        if form is None or form.is_valid():
            try:
                services.perform(
                    action,
                    application=application,
                    data=form.cleaned_data if form else {},
                    client_address=client_address(request),
                )
            except services.GrantError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, str(workflow.action(action).done))
            return redirect(application.get_case_url())
    status, next_step = applicant_status(application)
    return render(
        request,
        "grants/case.html",
        {
            "application": application,
            "status": status,
            "next_step": next_step,
            "events": application.events.filter(kind=EventKind.MOVE),
            "case_messages": application.messages.all(),
            "answer_form": forms["answer"],
            "report_form": forms["report"],
            "actions": actions,
        },
    )


def _confirmation_expired(request, application):
    """The mailed link was not used in time: nothing can be done with it, the visitor applies
    again (the purge deletes the application)."""
    return render(
        request,
        "grants/confirmation_expired.html",
        {"application": application, "hours": settings.GRANT_CONFIRMATION_HOURS},
        status=410,
    )


@never_cache
def withdraw(request, token: str):
    """Withdrawing asks first, on a page of its own: it cannot be undone."""
    application = _case(token)
    if "withdraw" not in allowed_actions(application):
        messages.error(request, _("This cannot be done to your application now."))
        return redirect(application.get_case_url())
    if request.method == "POST":
        try:
            services.perform(
                "withdraw", application=application, client_address=client_address(request)
            )
        except services.GrantError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(workflow.action("withdraw").done))
        return redirect(application.get_case_url())
    # What withdrawing undoes: a granted amount goes back to the budget line.
    returns_grant = application.state == ApplicationState.APPROVED
    return render(
        request,
        "grants/withdraw.html",
        {"application": application, "returns_grant": returns_grant},
    )


def _letter_response(application: GrantApplication):
    if not application.decision_letter:
        raise Http404
    return file_response(application.decision_letter, filename=f"decision-{application.pk}.pdf")


@never_cache
def case_letter(request, token: str):
    return _letter_response(_case(token))


@public_page(reads=[FORMAT_PARAMETER])
def public_statistics(request, year: int | None = None):
    """One year's statistics (the latest, without a year): a page's length is a year's
    schemes, however many years there are. A download has every year."""
    if fmt := requested_format(request):
        return datasets.GRANT_STATISTICS.response(request, fmt, statistics())
    years = statistics_years()
    if year is None:
        year = years[0] if years else None
    elif year not in years:
        raise Http404
    rows = statistics(names=settings.STATISTICS_NAMES_SHOWN, year=year) if year else []
    return render(
        request,
        "grants/statistics.html",
        {
            "rows": rows,
            "year": year,
            "years": years,
            "dataset": datasets.GRANT_STATISTICS,
            "min_group": settings.STATISTICS_MIN_GROUP,
            "until": published_until(),
            "chart": bar_chart(
                [
                    (row["scheme_name"], row["amount"], None, format_money(row["amount"]))
                    for row in rows
                    if not row["suppressed"]
                ],
                key="grants",
                title=_("What each scheme granted in %(year)s") % {"year": year},
            ),
        },
    )


# Staff: the officers' queue and case page


@login_required
def queue(request):
    require(is_grant_officer(request.user))
    filterset = ApplicationFilter(
        request.GET,
        queryset=queue_facts(
            officer_cases().select_related("scheme", "partner_city"), request.user
        ),
        request=request,
    )
    applications = filterset.qs if filterset.is_valid() else GrantApplication.objects.none()
    page = paginate(request, applications)
    for application in page.object_list:
        application.waiting = officer_waiting(application, request.user)
    return render(
        request,
        "grants/staff/queue.html",
        {
            "filter": filterset,
            "page": page,
            "csv_form": CsvConfirmForm(),
            "batch_form": BatchForm(),
        },
    )


@login_required
@require_POST
def queue_batch(request):
    """One move over several cases. Each case goes through the same check and service as on
    its own page, in its own transaction; the page lists what was done and what was refused."""
    require(is_grant_officer(request.user))
    form = BatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors_in_words()))
        return redirect(f"{reverse('grants:queue')}?{request.GET.urlencode()}")
    action = form.cleaned_data["action"]
    cases = officer_cases().select_related("scheme").prefetch_related("proposals")
    found = {case.pk: case for case in cases.filter(pk__in=form.cleaned_data["cases"])}
    done, refused = [], []
    for pk in form.cleaned_data["cases"]:
        application = found.get(pk)
        if application is None:
            refused.append((pk, None, _("There is no such case.")))
            continue
        if action not in allowed_actions(application, officer=request.user):
            refused.append((pk, application, refusal(application, request.user, action)))
            continue
        try:
            services.perform(action, application=application, officer=request.user, data={})
        except (services.GrantError, BudgetError) as error:
            refused.append((pk, application, str(error)))
        else:
            done.append(application)
    return render(
        request,
        "grants/staff/batch_done.html",
        {"action": form.action_label(), "done": done, "refused": refused},
    )


@login_required
@require_POST
def queue_csv(request):
    require(is_grant_officer(request.user))
    if not CsvConfirmForm(request.POST).is_valid():
        messages.error(request, _("Confirm that you will keep the file safe."))
        return redirect(f"{reverse('grants:queue')}?{request.GET.urlencode()}")
    filterset = ApplicationFilter(
        request.GET,
        queryset=officer_cases().select_related("scheme", "partner_city"),
        request=request,
    )
    rows = [
        [
            a.pk,
            a.scheme.name,
            workflow.label(a.state),
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
        officer_cases()
        .select_related("scheme", "partner_city", "decided_by")
        .prefetch_related("proposals__proposed_by"),
        pk=pk,
    )


# The form each officer action validates; the other actions take no input.
ACTION_FORMS = {
    "approve": ApproveForm,
    "reject": RejectForm,
    "question": QuestionForm,
    "confirm": ConfirmForm,
    "declare_conflict": ConflictForm,
}


def _render_case(request, application, bound_form=None, action=None, status=200):
    may_not_decide = conflict_reason(application, request.user)
    actions = [] if may_not_decide else allowed_actions(application, officer=request.user)
    proposal = pending_proposal(application)
    initial = {
        "approve": {"amount": application.amount_requested},
        "confirm": {"proposal": proposal.pk, "amount": proposal.amount} if proposal else None,
    }
    case_messages = list(application.messages.all())
    application.answered = bool(case_messages) and case_messages[-1].from_applicant
    application.officer_linked = bool(may_not_decide)
    # Each form's own ids: several forms on the page have a "reason".
    forms = {
        name: form_class(initial=initial.get(name), auto_id=f"{name}_%s")
        for name, form_class in ACTION_FORMS.items()
    }
    if bound_form is not None:
        forms[action] = bound_form
    return render(
        request,
        "grants/staff/case.html",
        {
            "application": application,
            "events": application.events.select_related("officer", "second_officer"),
            "case_messages": case_messages,
            "waiting": officer_waiting(application, request.user),
            "state_label": workflow.label(application.state),
            "attachments": application.attachments.all(),
            "proposal": proposal,
            "actions": actions,
            # The actions that take no input: a button each, worded by the workflow table.
            "simple_actions": [act for act in map(workflow.action, actions) if not act.inputs],
            "may_not_decide": may_not_decide,
            "forms": forms,
        },
        status=status,
    )


@login_required
def officer_case(request, pk: int):
    return _render_case(request, _officer_case(request, pk))


@login_required
@require_POST
def officer_action(request, pk: int, action: str):
    """One officer action on a case. A refused action shows the case again with what the
    officer typed and the reason next to the field; nothing is saved."""
    application = _officer_case(request, pk)
    act = workflow.action(action)
    if act is None or act.actor != Actor.OFFICER or not act.offered:
        raise Http404
    form_class = ACTION_FORMS.get(action)
    form = form_class(request.POST, auto_id=f"{action}_%s") if form_class else None
    if action not in allowed_actions(application, officer=request.user):
        messages.error(request, refusal(application, request.user, action))
        conflicted = bool(conflict_reason(application, request.user))
        return _render_case(request, application, form, action, status=403 if conflicted else 409)
    if form is not None and not form.is_valid():
        return _render_case(request, application, form, action, status=400)
    try:
        result = services.perform(
            action,
            application=application,
            officer=request.user,
            data=form.cleaned_data if form else {},
        )
    except (services.GrantError, BudgetError) as error:
        field = getattr(error, "field", None) or (
            "amount" if isinstance(error, BudgetError) else None
        )
        if form is not None and field in form.fields and not form.fields[field].widget.is_hidden:
            form.add_error(field, str(error))
        else:
            messages.error(request, str(error))
        kept = form if action != "confirm" else None  # show the current proposal afresh
        return _render_case(request, _officer_case(request, pk), kept, action, status=400)
    if action == "approve" and result is not None:
        messages.success(
            request,
            _("Proposed: %(amount)s. A second officer must confirm it.")
            % {"amount": format_money(result.amount)},
        )
    else:
        messages.success(request, str(act.done))
    if act.decides:  # the case no longer needs the officer: on to the next one
        return _next_case(request, after=application)
    return redirect("grants:officer_case", pk=application.pk)


def _next_case(request, *, after):
    """The oldest other case that needs this officer, or the queue when none does."""
    needing = ApplicationFilter(
        {}, queryset=officer_cases().exclude(pk=after.pk), request=request
    ).qs.order_by("submitted_at", "pk")
    following = needing.first()
    if following is None:
        messages.info(request, _("No other case needs you now."))
        return redirect("grants:queue")
    return redirect("grants:officer_case", pk=following.pk)


@login_required
def officer_attachment(request, pk: int):
    require(is_grant_officer(request.user))
    # The case page's own rule: an attachment of a case the officer may not see is a 404.
    attachment = get_object_or_404(Attachment, pk=pk, application__in=officer_cases())
    return file_response(attachment.file, filename=attachment.name, inline=False)


@login_required
def officer_letter(request, pk: int):
    return _letter_response(_officer_case(request, pk))
