from django.core.exceptions import PermissionDenied


def is_staff_member(user) -> bool:
    """Anyone with a role (or a superuser) may use the staff pages."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Cached on the user object so a page asks the database once.
    if not hasattr(user, "_portal_has_role"):
        user._portal_has_role = user.groups.exists()
    return user._portal_has_role


def require(allowed: bool) -> None:
    """Refuse with 403 unless allowed (a signed-in user without the right)."""
    if not allowed:
        raise PermissionDenied
