import hashlib
import logging

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class DateInput(forms.DateInput):
    """The browser's own date picker; ISO dates, which Django reads in every language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ThrottledLoginForm(AuthenticationForm):
    """The login form, refusing further attempts after too many failures.

    Failures are counted per (user name, address) and per address in the cache for
    LOGIN_LOCKOUT_SECONDS; at LOGIN_MAX_FAILURES (or four times that from one address,
    for someone trying many names) the form refuses without checking the password.
    A success clears the count for that name and address.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts to log in. Wait %(minutes)s minutes and try again, "
            "or ask an administrator to reset your password."
        ),
    }

    def clean(self):
        keys = self._counter_keys()
        if self._is_locked_out(keys):
            minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
            logger.warning("Login refused after repeated failures from %s", self._address())
            raise ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": minutes}
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            for key in keys:
                try:
                    cache.incr(key)
                except ValueError:
                    cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)
            raise
        cache.delete(keys[0])
        return cleaned

    def _address(self) -> str:
        return self.request.META.get("REMOTE_ADDR", "") if self.request else ""

    def _counter_keys(self) -> list[str]:
        username = (self.data.get("username") or "").strip().lower()
        digest = hashlib.sha256(f"{username}\n{self._address()}".encode()).hexdigest()
        return [f"login-failures:{digest}", f"login-failures-address:{self._address()}"]

    def _is_locked_out(self, keys: list[str]) -> bool:
        limit = settings.LOGIN_MAX_FAILURES
        return (cache.get(keys[0]) or 0) >= limit or (cache.get(keys[1]) or 0) >= 4 * limit
