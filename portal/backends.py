from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    """Django's backend, except that demo accounts (published passwords) only work with DEBUG
    on. Also applies to sessions: a demo login made under DEBUG is signed out without it."""

    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return settings.DEBUG or not hasattr(user, "demo_account")

    def get_user(self, user_id):
        # The demo mark comes with the user: no extra query on every request.
        User = get_user_model()
        try:
            user = User._default_manager.select_related("demo_account").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
