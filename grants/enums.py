from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Email address not yet confirmed")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("More information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PAID = "paid", _("Paid")
    REPORT_DUE = "report_due", _("Report due")
    REPORT_RECEIVED = "report_received", _("Report received")
    CLOSED = "closed", _("Closed")


class ApplicantKind(models.TextChoices):
    YOUNG_PERSON = "young_person", _("Young person under 25")
    YOUTH_ASSOCIATION = "youth_association", _("Association of young people")
    SCHOOL = "school", _("School")
    TWIN_TOWN_ASSOCIATION = "twin_town_association", _("Twin-town association")
    EMPLOYEE = "employee", _("Employee of the municipality")


class Actor(models.TextChoices):
    OFFICER = "officer", _("Grant officer")
    APPLICANT = "applicant", _("Applicant")
    SYSTEM = "system", _("The portal")


class EventKind(models.TextChoices):
    MOVE = "move", _("State changed")
    PROPOSED = "proposed", _("Approval proposed")
    PROPOSAL_WITHDRAWN = "withdrawn", _("Proposal withdrawn")
    CONFLICT = "conflict", _("Conflict of interest declared")
    REPORTED = "reported", _("Report sent")


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Awaiting a second officer")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CONFIRMED = "confirmed", _("Confirmed")


S = ApplicationState
# Which moves are allowed, and who may make them. Approval goes through the
# approve service (budget booking, four eyes); every other move through `move`.
TRANSITIONS: dict[tuple[str, str], set[str]] = {
    (S.UNCONFIRMED, S.SUBMITTED): {Actor.APPLICANT},
    (S.SUBMITTED, S.IN_REVIEW): {Actor.OFFICER},
    (S.SUBMITTED, S.WITHDRAWN): {Actor.APPLICANT},
    (S.IN_REVIEW, S.INFO_REQUESTED): {Actor.OFFICER},
    (S.IN_REVIEW, S.APPROVED): {Actor.OFFICER},
    (S.IN_REVIEW, S.REJECTED): {Actor.OFFICER},
    (S.IN_REVIEW, S.WITHDRAWN): {Actor.APPLICANT},
    (S.INFO_REQUESTED, S.IN_REVIEW): {Actor.APPLICANT, Actor.OFFICER},
    (S.INFO_REQUESTED, S.REJECTED): {Actor.OFFICER},
    (S.INFO_REQUESTED, S.WITHDRAWN): {Actor.APPLICANT},
    (S.APPROVED, S.PAID): {Actor.OFFICER},
    (S.APPROVED, S.WITHDRAWN): {Actor.APPLICANT},
    (S.PAID, S.REPORT_DUE): {Actor.SYSTEM, Actor.OFFICER},
    (S.PAID, S.REPORT_RECEIVED): {Actor.OFFICER},
    (S.REPORT_DUE, S.REPORT_RECEIVED): {Actor.OFFICER},
    (S.REPORT_RECEIVED, S.CLOSED): {Actor.OFFICER},
    (S.REJECTED, S.CLOSED): {Actor.OFFICER, Actor.SYSTEM},
    (S.WITHDRAWN, S.CLOSED): {Actor.OFFICER, Actor.SYSTEM},
}

# States in which an officer has something to do: the queue opens on these.
NEEDS_OFFICER = [S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.REPORT_DUE, S.REPORT_RECEIVED]
DECIDED = [S.APPROVED, S.PAID, S.REPORT_DUE, S.REPORT_RECEIVED, S.CLOSED]
