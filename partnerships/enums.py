from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerCityKind(models.TextChoices):
    TWIN_TOWN = "twin_town", _("Twin town")
    PARTNERSHIP = "partnership", _("Partnership")
    FRIENDLY_RELATION = "friendly_relation", _("Friendly relation")


class RelationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")
    STEERING_GROUP = "steering_group", _("Steering group")


class ExchangeKind(models.TextChoices):
    PUPIL_EXCHANGE = "pupil_exchange", _("Pupil exchange")
    TEACHER_EXCHANGE = "teacher_exchange", _("Teacher exchange")
    WORK_PLACEMENT = "work_placement", _("Work placement")
    STAFF_STUDY_VISIT = "staff_study_visit", _("Staff study visit")
    INCOMING_VISIT = "incoming_visit", _("Incoming visit")
    CULTURE_OR_SPORT = "culture_or_sport", _("Culture or sport")


class ExchangeDirection(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing: we travel to them")
    INCOMING = "incoming", _("Incoming: they visit us")
    MUTUAL = "mutual", _("Both ways")


class ExchangeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CARRIED_OUT = "carried_out", _("Carried out")
    CANCELLED = "cancelled", _("Cancelled")
