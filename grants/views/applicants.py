"""The public side of grants: the schemes, the application form with its check, and the
applicant's private case page (answer, report, withdraw, the letter)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from grants import datasets, drafts, services, workflow
from grants.enums import ApplicationState, EventKind
from grants.forms import (
    AnswerForm,
    ApplicationForm,
    CommentForm,
    ReportForm,
)
from grants.models import GrantApplication, GrantScheme
from grants.permissions import (
    allowed_actions,
)
from grants.rules import rules_in_words
from grants.status import applicant_status
from grants.workflow import confirmation_expired
from portal.clients import client_address, client_key
from portal.listpages import requested_format
from portal.opendata import FORMAT_PARAMETER
from portal.pagecache import public_page
from portal.uploads import file_response


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
    if not drafts.room_for(request, form, new_files, client_key(request)):
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
            "case": application.case_number,
            "scheme": str(scheme.name),
            "email": application.applicant_email,
            "decision_days": scheme.decision_days,
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
    sent = request.session.pop(SENT_KEY, None)
    return render(
        request,
        "grants/submitted.html",
        {
            "sent": sent,
            "hours": settings.GRANT_CONFIRMATION_HOURS,
            # The scheme's service target (GrantScheme.decision_days), as the officers see it.
            "decision_days": (sent or {}).get("decision_days"),
        },
    )


def _case(token: str) -> GrantApplication:
    application = get_object_or_404(
        GrantApplication.objects.select_related("scheme", "partner_city"),
        token=token,
        personal_data_erased_at__isnull=True,
    )
    return application


def _report_initial(application) -> dict:
    """A report sent back for revision comes back as it was sent."""
    if not application.report:
        return {}
    return {
        "report": application.report,
        "participants": application.report_participants,
        "cost_travel": application.report_cost_travel,
        "cost_accommodation": application.report_cost_accommodation,
        "cost_other": application.report_cost_other,
    }


def _case_forms(application, data=None, files=None) -> dict:
    """The applicant's forms on the case page, each bound when it is the one sent."""
    report = {"application": application, "initial": _report_initial(application)}
    return {
        "answer": AnswerForm(data, files),
        "comment": CommentForm(data, files),
        "report": ReportForm(data, files, **report),
    }


@never_cache
def case(request, token: str):
    application = _case(token)
    if confirmation_expired(application):
        return _confirmation_expired(request, application)
    forms = _case_forms(application)
    actions = allowed_actions(application)
    status_code = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in actions or action == "withdraw":  # withdrawing has its own page
            messages.error(request, _("This cannot be done to your application now."))
            return redirect(application.get_case_url())
        form = None
        if action in forms:
            form = forms[action] = _case_forms(application, request.POST, request.FILES)[action]
        if form is None or form.is_valid():
            try:
                services.perform(
                    action,
                    application=application,
                    data=form.cleaned_data if form else {},
                    client_address=client_address(request),
                )
            except services.GrantError as error:
                if form is None or error.field not in form.fields:
                    messages.error(request, str(error))
                    return redirect(application.get_case_url())
                form.add_error(error.field, str(error))  # shown at the field, typed text kept
                status_code = 400
            else:
                messages.success(request, str(workflow.action(action).done))
                return redirect(application.get_case_url())
        else:
            status_code = 400
    status, next_step = applicant_status(application)
    case_messages = list(application.messages.all())
    return render(
        request,
        "grants/case.html",
        {
            "application": application,
            "status": status,
            "next_step": next_step,
            "events": application.events.filter(kind=EventKind.MOVE),
            "case_messages": case_messages,
            "answer_form": forms["answer"],
            "comment_form": forms["comment"],
            "report_form": forms["report"],
            "actions": actions,
            # The facts put to the applicant: the officer's last message, while they wait.
            "hearing_facts": next(
                (m for m in reversed(case_messages) if not m.from_applicant), None
            )
            if application.state == ApplicationState.HEARING
            else None,
            "revision": _revision_asked(application),
        },
        status=status_code,
    )


def _revision_asked(application):
    """The officer's request for a revised report, while the report is open again."""
    if application.report_submitted_at or not application.report:
        return None
    return application.events.filter(kind=EventKind.REVISION_REQUESTED).order_by("at", "pk").last()


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


def letter_response(application: GrantApplication):
    if not application.decision_letter:
        raise Http404
    return file_response(application.decision_letter, filename=f"decision-{application.pk}.pdf")


@never_cache
def case_letter(request, token: str):
    return letter_response(_case(token))
