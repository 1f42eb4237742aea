import logging

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class DateInput(forms.DateInput):
    """The browser's own date picker; ISO dates, which Django reads in every language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LoginForm(AuthenticationForm):
    """The staff login. Failed attempts are counted by django-axes (settings: AXES_*), for
    this form and the admin's alike; a locked-out user name and address gets
    `portal.views.login_locked_out`."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts to log in. Wait %(minutes)s minutes and try again, "
            "or ask an administrator to lift the lockout."
        ),
    }
