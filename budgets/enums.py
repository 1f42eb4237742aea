from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentSource(models.TextChoices):
    GRANT_DECISION = "grant_decision", _("Grant decision")
    TRIP_ACCOUNTS = "trip_accounts", _("Trip accounts")
    MANUAL = "manual", _("Manual entry")


class FollowUpRound(models.TextChoices):
    FIRST = "first", _("1st budget follow-up")
    SECOND = "second", _("2nd budget follow-up")
    THIRD = "third", _("3rd budget follow-up")
    YEAR_END = "year_end", _("31 December")


class MilestoneSmiley(models.TextChoices):
    MET = "met", _("Met")
    AT_RISK = "at_risk", _("Not fully met, but still realistic")
    NOT_MET = "not_met", _("Not met, and not realistic")


class EconomySmiley(models.TextChoices):
    KEPT = "kept", _("Budget kept or saving achieved")
    NOT_KEPT = "not_kept", _("Budget not kept or saving not achieved")
