from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Every action the log records, with the label the admin shows."""

    BUDGET_BOOK = "budget.book", _("Commitment booked")
    BUDGET_REVERSE = "budget.reverse", _("Commitment reversed")
    BUDGET_CHANGE_AMOUNT = "budget.change_amount", _("Budget line amount changed")
    BUDGET_SPENT = "budget.spent", _("Commitment paid out")
    BUDGET_CREATE_LINE = "budget.create_line", _("Budget line created")
    FOLLOW_UP_ROUND = "follow_up.round", _("Follow-up round saved")
    FOLLOW_UP_IMPORT = "follow_up.import", _("Follow-up imported from CSV")
    INITIATIVE_SAVE = "follow_up.initiative", _("Initiative saved")
    GRANT_IN_REVIEW = "grant.in_review", _("Grant case: review started")
    GRANT_INFO_REQUESTED = "grant.info_requested", _("Grant case: information requested")
    GRANT_APPROVED = "grant.approved", _("Grant case: approved")
    GRANT_REJECTED = "grant.rejected", _("Grant case: rejected")
    GRANT_PAID = "grant.paid", _("Grant case: paid")
    GRANT_REPORT_DUE = "grant.report_due", _("Grant case: report due")
    GRANT_REPORT_RECEIVED = "grant.report_received", _("Grant case: report received")
    GRANT_CLOSED = "grant.closed", _("Grant case: closed")
    GRANT_PROPOSE = "grant.propose", _("Grant case: approval proposed")
    GRANT_PROPOSAL_WITHDRAWN = "grant.proposal_withdrawn", _("Grant case: proposal withdrawn")
    GRANT_CONFLICT = "grant.conflict", _("Grant case: conflict of interest declared")
    GRANT_LINK_OFFICERS = "grant.link_officers", _("Grant case: officers linked")
    GRANT_CONFLICT_LIFTED = "grant.conflict_lifted", _("Grant case: conflict of interest lifted")
    GRANT_EXPORT_CSV = "grant.export_csv", _("Grant applications exported")
    TRIP_CORRECT = "trip.correct", _("Trip corrected")
    TRIP_PUBLISH = "trip.publish", _("Trip published")
    TRIP_UNPUBLISH = "trip.unpublish", _("Trip taken down")
    TRIP_APPROVE_REPORT = "trip.approve_report", _("Trip report approved")
    USER_CREATE = "user.create", _("User created")
    USER_ROLES = "user.roles", _("User's roles changed")
    USER_STATUS = "user.status", _("User's staff or superuser status changed")
    USER_PASSWORD = "user.password", _("Password set by someone else")
    SITE_SETTINGS = "site.settings", _("Site settings changed")
    ADMIN_DELETE = "admin.delete", _("Deleted in the admin")
