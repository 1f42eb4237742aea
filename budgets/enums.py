from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentSource(models.TextChoices):
    GRANT_DECISION = "grant_decision", _("Grant decision")
    TRIP_ACCOUNTS = "trip_accounts", _("Trip accounts")
    MANUAL = "manual", _("Manual entry")


class MilestoneSmiley(models.TextChoices):
    MET = "met", _("Met")
    AT_RISK = "at_risk", _("Not fully met, but still realistic")
    NOT_MET = "not_met", _("Not met, and not realistic")


class EconomySmiley(models.TextChoices):
    KEPT = "kept", _("Budget kept or saving achieved")
    NOT_KEPT = "not_kept", _("Budget not kept or saving not achieved")
