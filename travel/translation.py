"""What a trip was for, its programme and its report, in every shipped language
(portal.i18n). Names of people and places are not translated."""

from portal.i18n import register_translated
from travel.models import ProgrammeItem, Trip

register_translated(Trip, "title", "purpose", "report", required=("title", "purpose"))
register_translated(ProgrammeItem, "what", required=("what",))
