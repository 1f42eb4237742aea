"""A trip's figures, defined once."""

from decimal import ROUND_HALF_UP, Decimal


def cost_per_participant(total_actual: Decimal, participants: int) -> Decimal | None:
    """The actual cost divided by everyone who travelled (politicians, officials and other
    participants), in Decimal, rounded to the øre; None when nobody travelled."""
    if not participants:
        return None
    return (Decimal(total_actual) / participants).quantize(Decimal("0.01"), ROUND_HALF_UP)
