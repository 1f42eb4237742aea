"""The officers' pages: the queue (filters, batch moves, the CSV), the case page and its
actions, attachments and letters."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budgets.services import BudgetError
from grants import services, workflow
from grants.enums import Actor
from grants.filters import ApplicationFilter
from grants.forms import (
    ApproveForm,
    BatchForm,
    ConfirmForm,
    ConflictForm,
    CsvConfirmForm,
    QuestionForm,
    RejectForm,
)
from grants.models import Attachment, GrantApplication
from grants.permissions import (
    allowed_actions,
    conflict_reason,
    is_grant_officer,
    refusal,
)
from grants.selectors import officer_cases
from grants.status import officer_waiting, queue_facts
from grants.views.applicants import letter_response
from grants.workflow import pending_proposal
from portal import audit
from portal.csvexport import csv_response
from portal.money import format_money
from portal.pagination import paginate
from portal.permissions import require
from portal.uploads import file_response


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
        summary=request.GET.urlencode() or "-",
        rows=len(rows),
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
    return letter_response(_officer_case(request, pk))
