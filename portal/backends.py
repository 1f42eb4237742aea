from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


def _of_municipality(users):
    """The users who may sign in to the active municipality: its staff, and the service's
    administrators (superusers). None outside a municipality (the national pages)."""
    from portal.models import Municipality
    from portal.municipalities import current

    found = current()
    if found is None:
        return users.none()
    staff = Municipality.staff.through.objects.filter(municipality=found.pk).values("user")
    return users.filter(Q(is_superuser=True) | Q(pk__in=staff))


class PortalBackend(ModelBackend):
    """Django's backend, except that
    - a user signs in only to the municipalities they are staff of (superusers to every
      one): a session is per host, and a password of one municipality's staff opens
      nothing at another's;
    - demo accounts (published passwords) only work with DEBUG on. Also applies to
      sessions: a demo login made under DEBUG is signed out without it."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        if not (settings.DEBUG or not hasattr(user, "demo_account")):
            return False
        return _of_municipality(get_user_model()._default_manager.filter(pk=user.pk)).exists()

    def get_user(self, user_id):
        # The demo mark and the membership come with the user: one query on every request.
        User = get_user_model()
        try:
            user = _of_municipality(User._default_manager.select_related("demo_account")).get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        if not user.is_active:
            return None
        return user if settings.DEBUG or not hasattr(user, "demo_account") else None
