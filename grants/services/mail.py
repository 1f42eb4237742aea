"""Letters and mail of a grant case: the decision letter (made when the mail is sent), the
applicant's private link (put in when the mail is sent), and mail to the officers."""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from grants.letters import decision_letter, letter_html
from grants.models import (
    CaseMail,
    GrantApplication,
)
from grants.permissions import (
    officers_who_may_act,
)
from portal import outbox
from portal.base_url import base_url
from portal.models import SiteSettings
from portal.municipalities import default_language
from portal.pdf import render_pdf


def case_link(application: GrantApplication) -> str:
    """The private link in the language the applicant applied in (its URL prefix): the
    mail worker runs in the default language, and a German applicant's link must open the
    case page in German."""
    with translation.override(application.language):
        return base_url() + application.get_case_url()


def decision_letter_attachment(application_pk: str) -> list[tuple[str, bytes, str]]:
    """The decision letter for the outbox, made now if it was not made yet. A PDF failure
    never undoes the decision: the mail then goes without the letter (the outbox logs it)."""
    application = GrantApplication.objects.select_related("scheme").get(pk=application_pk)
    if application.decision_letter:
        with application.decision_letter.open("rb") as letter:
            pdf = letter.read()
    else:
        pdf = make_decision_letter(application)
    return [(f"decision-{application.pk}.pdf", pdf, "application/pdf")]


def make_decision_letter(application: GrantApplication) -> bytes:
    """The decision letter's PDF, made from the letter's HTML (grants.letters) and kept."""
    html = letter_html(application)
    with translation.override(application.language):
        pdf = render_pdf(html)
    application.decision_letter.save(f"decision-{application.pk}.pdf", ContentFile(pdf), save=False)
    GrantApplication.objects.filter(pk=application.pk).update(
        decision_letter=application.decision_letter.name
    )
    return pdf


def case_link_for_mail(application_pk: str) -> str:
    """The private link, made by the mail worker when it sends (never stored in the outbox,
    where staff could read it and act as the applicant)."""
    return case_link(
        GrantApplication.objects.get(pk=application_pk, personal_data_erased_at__isnull=True)
    )


def _queue_mail(application: GrantApplication, kind: str) -> None:
    """Write the applicant's mail to the outbox, in the caller's transaction, in the language
    they applied in. Only the confirmation goes to an address not yet confirmed, and it
    carries nothing the visitor typed. The private link is put in when the mail is sent."""
    if kind != "confirm" and application.email_confirmed_at is None:
        return
    with translation.override(application.language):
        context = {
            "application": application,
            "link": outbox.PRIVATE_LINK,
            "site": SiteSettings.current(),
        }
        if kind == "decision":
            context["letter"] = decision_letter(application)
        subject = render_to_string(f"grants/mail/{kind}_subject.txt", context).strip()
        body = render_to_string(f"grants/mail/{kind}.txt", context)
    mail = outbox.enqueue(
        kind=f"grants.{kind}",
        to=application.applicant_email,
        subject=subject,
        body=body,
        attach="grants.decision_letter" if kind == "decision" else "",
        attach_arg=application.pk,
        link="grants.case_link",
        link_arg=application.pk,
    )
    CaseMail.objects.create(application=application, mail=mail)


def _mail_officers(application, kind: str, *, preferred=None, exclude=None) -> None:
    """Tell officers, through the outbox, that the case waits for them: the preferred
    officer (who asked, who decided) when they may still act, else every officer who may.
    The mail names the case's number and links to it; nothing of the applicant's."""
    officers = officers_who_may_act(application, exclude=exclude)
    chosen = [officer for officer in officers if officer.pk == preferred] or officers
    with translation.override(default_language()):
        context = {
            "application": application,
            "link": base_url() + reverse("grants:officer_case", args=[application.pk]),
            "kind": kind,
            "site": SiteSettings.current(),
        }
        subject = render_to_string("grants/mail/officer_subject.txt", context).strip()
        body = render_to_string("grants/mail/officer.txt", context)
    for officer in chosen:
        mail = outbox.enqueue(
            kind=f"grants.officer.{kind}", to=officer.email, subject=subject, body=body
        )
        CaseMail.objects.create(application=application, mail=mail)


# The outbox puts these in when it sends: the decision letter and the private link.
outbox.register_attacher("grants.decision_letter", decision_letter_attachment)
outbox.register_linker("grants.case_link", case_link_for_mail)
