from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published: programme and accounts")
    REPORT_PUBLISHED = "report_published", _("Report approved and published")


# What "published" means: the states in which a trip is public (travel.selectors.published).
PUBLIC_STATES = (PublicationState.PUBLISHED, PublicationState.REPORT_PUBLISHED)


class PersonKind(models.TextChoices):
    POLITICIAN = "politician", _("Politician")
    OFFICIAL = "official", _("Official")


class AccountCategory(models.TextChoices):
    TRANSPORT = "transport", _("Transport")
    ACCOMMODATION = "accommodation", _("Accommodation")
    MEALS = "meals", _("Meals and subsistence")
    PER_DIEM = "per_diem", _("Per diem")
    FEES = "fees", _("Fees and conference")
    REPRESENTATION = "representation", _("Representation")
    OTHER = "other", _("Other")


class AccountsStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Provisional: invoices may still arrive")
    FINAL = "final", _("Final")


# Accounts whose cost may still change: such a trip's cost, and every total that adds it up,
# is shown as provisional. The one rule: travel.figures.is_provisional for a trip, and
# travel.models.PROVISIONAL (the same states) where the totals count such trips.
PROVISIONAL_STATES = (AccountsStatus.PROVISIONAL,)

# What a trip that no committee sent is sent by, on the trips and in their totals alike.
ADMINISTRATION = _("Administration")
