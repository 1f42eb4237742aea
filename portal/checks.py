from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.security, deploy=True)
def no_demo_accounts_in_production(app_configs=None, **kwargs):
    """Demo logins have a password printed in the README: never with DEBUG off."""
    if settings.DEBUG:
        return []
    from portal.models import DemoAccount

    try:
        names = list(DemoAccount.objects.values_list("user__username", flat=True))
    except DatabaseError:  # not migrated yet: nothing to find
        return []
    if not names:
        return []
    return [
        Error(
            f"Demo accounts exist with DEBUG off: {', '.join(sorted(names))}.",
            hint="Delete them (manage.py shell, or the admin as a superuser); they are "
            "refused at login, but their password is published.",
            id="portal.E001",
        )
    ]


@register()
def currency_is_known(app_configs=None, **kwargs):
    """CURRENCY must be an ISO 4217 code Babel can write in every language."""
    from babel.numbers import is_currency

    if is_currency(settings.PORTAL_CURRENCY):
        return []
    return [
        Error(
            f"CURRENCY is {settings.PORTAL_CURRENCY!r}, which is not an ISO 4217 currency code.",
            hint="Set CURRENCY to a code such as DKK, EUR, SEK or NOK.",
            id="portal.E002",
        )
    ]
