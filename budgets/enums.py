from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentSource(models.TextChoices):
    GRANT_DECISION = "grant_decision", _("Grant decision")
    TRIP_ACCOUNTS = "trip_accounts", _("Trip accounts")
    MANUAL = "manual", _("Manual entry")


class ManualCause(models.TextChoices):
    """What an amount booked by hand pays for. A trip abroad is not among them: its cost
    reaches a line only through its trip record (travel), so it is in the trip register and
    the overdue list (docs/decisions/a-trip-s-cost-reaches-a-budget-line-only-through-its-trip.md).
    A new kind of expense is a new member here, never an "other" that a trip could pass as."""

    MEMBERSHIP = "membership", _("Membership fee of a network or association")
    HOSTING = "hosting", _("Hosting visitors from abroad")
    MEETING = "meeting", _("Meetings and events held in the municipality")
    SERVICES = "services", _("Services bought: translation, interpreting, advice")
    MATERIALS = "materials", _("Communication and materials")
    PROJECT = "project", _("Contribution to a joint project with a partner")


class MilestoneSmiley(models.TextChoices):
    MET = "met", _("Met")
    AT_RISK = "at_risk", _("Not fully met, but still realistic")
    NOT_MET = "not_met", _("Not met, and not realistic")


class EconomySmiley(models.TextChoices):
    KEPT = "kept", _("Budget kept or saving achieved")
    NOT_KEPT = "not_kept", _("Budget not kept or saving not achieved")
