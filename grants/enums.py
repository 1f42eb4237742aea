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
    HEARING = "hearing", _("Awaiting the applicant's comments")


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
    CONFLICT_LIFTED = "conflict_lifted", _("Conflict of interest lifted by an administrator")
    REPORTED = "reported", _("Report sent")
    PAYMENT_REVERSED = "payment_reversed", _("Payment reversed")
    JOURNAL_NUMBER = "journal_number", _("Journal number recorded")
    FILED = "filed", _("Filed in the records system")
    QUESTION_WITHDRAWN = "question_withdrawn", _("Question withdrawn")
    HEARING_ENDED = "hearing_ended", _("Hearing ended without comments")
    REVISION_REQUESTED = "revision", _("Revised report asked for")
    REPAYMENT_CLAIMED = "repayment_claimed", _("Repayment claimed")
    REPAID = "repaid", _("Repayment received")
    ASSIGNED = "assigned", _("Case assigned")
    UNASSIGNED = "unassigned", _("Case unassigned")


class ProposalState(models.TextChoices):
    PENDING = "pending", _("Awaiting a second officer")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CONFIRMED = "confirmed", _("Confirmed")


S = ApplicationState
# The states a granted case passes through; the statistics narrow CLOSED to cases with an
# amount granted.
DECIDED = [S.APPROVED, S.PAID, S.REPORT_DUE, S.REPORT_RECEIVED, S.CLOSED]
# The applicants that are organisations: only they are asked for a CVR number.
ORGANISATION_KINDS = [
    ApplicantKind.YOUTH_ASSOCIATION,
    ApplicantKind.SCHOOL,
    ApplicantKind.TWIN_TOWN_ASSOCIATION,
]
