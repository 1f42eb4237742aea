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
    HandOverForm,
    HearingForm,
    NoteForm,
    PaidForm,
    QuestionForm,
    RejectForm,
    RepaidForm,
    RepaymentForm,
    ReversePaymentForm,
    RevisionForm,
    UnderstoodForm,
    WithdrawQuestionForm,
    asking,
    casework_initial,
)
from grants.models import Attachment, GrantApplication
from grants.payments import batch_summary
from grants.permissions import (
    allowed_actions,
    conflict_reason,
    is_grant_officer,
    refusal,
)
from grants.rules import checklist
from grants.selectors import (
    case_mails,
    decision_figures,
    handover_candidates,
    officer_cases,
    other_cases_of_applicant,
    unspent_grant,
)
from grants.status import (
    UNDECIDED,
    deadline_in_words,
    decision_deadline,
    done_message,
    is_overdue,
    officer_waiting,
    queue_facts,
)
from grants.views.applicants import letter_response
from grants.workflow import pending_proposal
from portal import audit
from portal.csvexport import csv_response
from portal.pagination import paginate
from portal.permissions import require
from portal.uploads import file_response
from portal.writers import CellWords


@login_required
def queue(request):
    require(is_grant_officer(request.user))
    # The queue is filtered, sorted (on an index: grants.models, `application_queue_*`) and
    # cut to its page first; the facts its words need are read for the page's rows only.
    filterset = ApplicationFilter(
        request.GET,
        queryset=officer_cases().select_related("scheme", "partner_city", "assignee"),
        request=request,
    )
    applications = filterset.qs if filterset.is_valid() else GrantApplication.objects.none()
    page = paginate(request, applications)
    page.object_list = queue_facts(page.object_list, request.user)
    for application in page.object_list:
        application.waiting = officer_waiting(application, request.user)
        application.undecided = application.state in UNDECIDED
        application.deadline = decision_deadline(application) if application.undecided else None
        application.overdue = is_overdue(application)
    return render(
        request,
        "grants/staff/queue.html",
        {
            "filter": filterset,
            "page": page,
            "officers": filterset.officers,
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
    # First the cases, their count and total, and what the move needs (a payment's date and
    # reference, one for the batch: docs/decisions/a-batch-of-payments-has-one-reference.md);
    # it acts only once confirmed from that page.
    confirmed = request.POST.get("confirmed") == "yes"
    paid_form = None
    if action == "paid":
        paid_form = PaidForm(request.POST if confirmed else None, auto_id="batch_%s")
    if not confirmed or (paid_form is not None and not paid_form.is_valid()):
        return _confirm_batch(request, form, found, paid_form, status=400 if confirmed else 200)
    data = paid_form.cleaned_data if paid_form is not None else {}
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
            services.perform(action, application=application, officer=request.user, data=data)
        except (services.GrantError, BudgetError) as error:
            refused.append((pk, application, str(error)))
        else:
            done.append(application)
    return render(
        request,
        "grants/staff/batch_done.html",
        {"action": form.action_label(), "done": done, "refused": refused},
    )


def _confirm_batch(request, form, found, paid_form, *, status):
    """The batch's confirmation page: the cases the move can be taken on, their count and
    total, those it would refuse and why, and the one button that acts."""
    action = form.cleaned_data["action"]
    ready, refused = [], []
    for pk in form.cleaned_data["cases"]:
        application = found.get(pk)
        if application is None:
            refused.append((pk, None, _("There is no such case.")))
        elif action in allowed_actions(application, officer=request.user):
            ready.append(application)
        else:
            refused.append((pk, application, refusal(application, request.user, action)))
    return render(
        request,
        "grants/staff/batch_confirm.html",
        {
            "action": action,
            "action_label": form.action_label(),
            "chosen": form.cleaned_data["cases"],
            "refused": refused,
            "paid_form": paid_form,
            **batch_summary(ready),
        },
        status=status,
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
    # Each cell as the public files write it in the reader's language (portal.writers):
    # 15.000,00 in a Danish file, never 15000.00.
    cell = CellWords()
    rows = [
        [
            cell(value)
            for value in (
                a.case_number,
                a.scheme.name,
                workflow.label(a.state),
                a.submitted_at.date(),
                a.applicant_name,
                a.applicant_email,
                a.organisation,
                a.destination,
                a.departs_on,
                a.amount_requested,
                a.amount_granted,
            )
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
        .select_related("scheme", "partner_city", "decided_by", "assignee")
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
    "paid": PaidForm,
    "reverse_payment": ReversePaymentForm,
    "hearing": HearingForm,
    "withdraw_question": WithdrawQuestionForm,
    "revision": RevisionForm,
    "claim_repayment": RepaymentForm,
    "repaid": RepaidForm,
    "hand_over": HandOverForm,
    "note": NoteForm,
}


def _action_form(action: str, application, officer, data=None):
    """The form an officer's action validates, or None when it takes no input: its own form
    (ACTION_FORMS) and, for an action that cannot be undone, the box saying what follows
    (the workflow table's `asks`; docs/decisions/irreversible-actions.md)."""
    act = workflow.action(action)
    form_class = ACTION_FORMS.get(action)
    if act is not None and act.asks:
        form_class = asking(form_class or UnderstoodForm, act.asks)
    if form_class is None:
        return None
    kwargs = {"auto_id": f"{action}_%s"}
    if action == "hand_over":
        kwargs["candidates"] = handover_candidates(application, officer)
    return form_class(data, **kwargs)


def _render_case(request, application, bound_form=None, action=None, status=200, **extra):
    from grants.views.records import case_records  # the records section (imports this)

    may_not_decide = conflict_reason(application, request.user)
    actions = [] if may_not_decide else allowed_actions(application, officer=request.user)
    proposal = pending_proposal(application)
    initial = {
        "approve": {"amount": application.amount_requested},
        "confirm": {"proposal": proposal.pk, "amount": proposal.amount} if proposal else None,
        **casework_initial(application),
    }
    case_messages = list(application.messages.all())
    application.answered = bool(case_messages) and case_messages[-1].from_applicant
    application.officer_linked = bool(may_not_decide)
    # Each form's own ids: several forms on the page have a "reason".
    forms = {}
    for name in {*ACTION_FORMS, *actions}:
        form = _action_form(name, application, request.user)
        if form is not None:
            form.initial = initial.get(name) or {}
            forms[name] = form
    if bound_form is not None:
        forms[action] = bound_form
    typed = _typed_amount(forms.get("approve"))
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
            "simple_actions": [
                (act, forms.get(act.name))
                for act in map(workflow.action, actions)
                if not act.inputs and act.name not in ("take", "unassign")
            ],
            "may_not_decide": may_not_decide,
            "forms": forms,
            # The workspace (grants/staff/_workspace.html): what a decision needs in view.
            "figures": decision_figures(application, typed),
            "checklist": checklist(application),
            "other_cases": other_cases_of_applicant(application),
            "notes": application.internal_notes.select_related("author"),
            "deadline_words": deadline_in_words(application),
            "overdue": is_overdue(application),
            "undecided": application.state in UNDECIDED,
            "next_case": next_case_for(request, after=application),
            **case_records(application, request.user),
            **extra,
            "unspent": unspent_grant(application),
            "case_mails": case_mails(application),
        },
        status=status,
    )


def _typed_amount(form):
    """The amount the officer typed into the approval form, when it was sent and reads as an
    amount; None (the amount applied for) otherwise: without JavaScript the page knows
    only what was sent."""
    if form is None or not form.is_bound:
        return None
    form.is_valid()
    amount = getattr(form, "cleaned_data", {}).get("amount")
    return amount if amount is not None and amount > 0 else None


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
    form = _action_form(action, application, request.user, data=request.POST)
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
    # The page says what was done to which case, and offers the next case (never jumps).
    acted_on = GrantApplication.objects.select_related("scheme", "assignee").get(pk=pk)
    messages.success(request, done_message(action, acted_on, result))
    return redirect("grants:officer_case", pk=application.pk)


def next_case_for(request, *, after):
    """The oldest other case that needs this officer (the queue's default filter), or None:
    what the case page offers as the next one. One query."""
    needing = ApplicationFilter(
        {}, queryset=officer_cases().exclude(pk=after.pk), request=request
    ).qs.order_by("submitted_at", "pk")
    return needing.first()


@login_required
def officer_attachment(request, pk: int):
    require(is_grant_officer(request.user))
    # The case page's own rule: an attachment of a case the officer may not see is a 404.
    attachment = get_object_or_404(Attachment, pk=pk, application__in=officer_cases())
    return file_response(attachment.file, filename=attachment.name, inline=False)


@login_required
def officer_letter(request, pk: int):
    return letter_response(_officer_case(request, pk))
