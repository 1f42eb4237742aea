"""Model fields the apps share."""

from django.db import models


class WebAddressField(models.URLField):
    """A web address. Typed without a scheme ("kommune.dk"), it is read as https, as
    browsers do (and as Django 6 will by default)."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
