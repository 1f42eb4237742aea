"""A scheme's name and its text for applicants, in every shipped language (portal.i18n)."""

from grants.models import GrantScheme
from portal.i18n import register_translated

register_translated(
    GrantScheme,
    "name",
    "text",
    "legal_basis",
    "conditions",
    "payment_terms",
    "complaint_guidance",
    required=("name",),
)
