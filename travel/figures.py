"""A trip's figures (and what its lists say of it), defined once: a Trip's properties, the
columns of its downloads (which read plain rows) and the totals call these."""

from decimal import ROUND_HALF_UP, Decimal

from travel.enums import PROVISIONAL_STATES, PublicationState


def participants(politicians: int, officials: int, others: int) -> int:
    """Everyone who travelled: politicians, officials and other participants."""
    return politicians + officials + others


def cost_per_participant(total_actual: Decimal, participants: int) -> Decimal | None:
    """The actual cost divided by everyone who travelled (politicians, officials and other
    participants), in Decimal, rounded to the øre; None when nobody travelled."""
    if not participants:
        return None
    return (Decimal(total_actual) / participants).quantize(Decimal("0.01"), ROUND_HALF_UP)


def report_is_public(state: str) -> bool:
    """Whether the trip's report is public: once the committee has approved it."""
    return state == PublicationState.REPORT_PUBLISHED


def is_provisional(accounts_status: str) -> bool:
    """Whether a trip's cost may still change (invoices may still arrive): its cost, and any
    total that includes it, is shown as provisional."""
    return accounts_status in PROVISIONAL_STATES
