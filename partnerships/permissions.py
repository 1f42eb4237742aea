"""Who may do what with partnerships. Roles grant Django permissions; these are the rules."""


def can_register_exchanges(user) -> bool:
    return user.is_active and user.has_perm("partnerships.add_exchange")


def can_list_exchanges(user) -> bool:
    return user.is_active and user.has_perm("partnerships.view_exchange")


def can_read_exchange(user, exchange) -> bool:
    """Whoever may list exchanges reads each of them, a colleague's too (to avoid registering
    the same exchange twice and to learn from its report); editing is `can_edit_exchange`."""
    return can_list_exchanges(user)


def can_edit_exchange(user, exchange) -> bool:
    """A coordinator edits what they registered; an administrator edits any."""
    if not (user.is_active and user.has_perm("partnerships.change_exchange")):
        return False
    return exchange.registered_by_id == user.pk or user.has_perm(
        "partnerships.manage_all_exchanges"
    )
