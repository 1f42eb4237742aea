def can_manage_trips(user) -> bool:
    """Committee secretaries and administrators record, publish and correct trips."""
    return user.is_active and user.has_perm("travel.change_trip")
