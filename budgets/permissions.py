def can_view_commitments(user) -> bool:
    return user.is_active and user.has_perm("budgets.view_commitment")


def can_book(user) -> bool:
    """Manual bookings and reversals: administrators."""
    return user.is_active and user.has_perm("budgets.add_commitment")


def can_edit_follow_up(user) -> bool:
    return user.is_active and user.has_perm("budgets.change_milestone")
