from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
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


@register(Tags.database)
def outbox_moves(app_configs=None, databases=None, **kwargs):
    """A stopped mail worker (or mail server) is seen: mails that wait too long, and mails
    the worker was cut off sending (portal.outbox). As Django's own checks that read the
    database, only when asked to (`manage.py check --database default`, and `migrate`):
    not on every command, nor where there is no database (a build)."""
    from portal import outbox

    if not databases or "default" not in databases:
        return []
    from portal.scoping import every_municipality

    try:
        with every_municipality():  # the worker sends every municipality's mail
            health = outbox.health()
    except DatabaseError:  # not migrated yet: nothing waits
        return []
    warnings = []
    oldest, last_sent = health["oldest_late_at"], health["last_sent_at"]
    last_sent = f"{last_sent:%Y-%m-%d %H:%M} UTC" if last_sent else "never"
    if health["late"]:
        warnings.append(
            Warning(
                f"{health['late']} mails have waited more than {health['late_minutes']} "
                f"minutes in the outbox (the oldest since {oldest:%Y-%m-%d %H:%M} UTC); the "
                f"last mail was sent {last_sent}.",
                hint="Is the mail worker running (manage.py send_mail --loop), and does the "
                "mail server answer? Admin: Outgoing mail shows each mail's last error.",
                id="portal.W010",
            )
        )
    if health["uncertain"]:
        warnings.append(
            Warning(
                f"{health['uncertain']} mails were perhaps sent when the mail worker stopped; "
                "they are not sent again.",
                hint="Admin: Outgoing mail, state 'Perhaps sent; not sent again'. Tell the "
                "recipient if the mail mattered.",
                id="portal.W011",
            )
        )
    return warnings


@register()
def open_data_country_is_known(app_configs=None, **kwargs):
    """The data catalogue names the country its data covers: OPEN_DATA_COUNTRY, or the
    country of the default language where it has one (portal.catalogue.country)."""
    from django_countries import countries

    from portal.catalogue import country
    from portal.scoping import no_municipality

    with no_municipality():  # the deployment's settings, which made the first municipality
        code = country()
    if code and countries.alpha2(code):
        return []
    reason = (
        f"OPEN_DATA_COUNTRY is {settings.OPEN_DATA_COUNTRY!r}, which is no ISO 3166-1 alpha-3 code."
        if settings.OPEN_DATA_COUNTRY
        else f"OPEN_DATA_COUNTRY is not set and the default language "
        f"({settings.LANGUAGE_CODE}) names no one country."
    )
    return [
        Error(
            reason,
            hint="Set OPEN_DATA_COUNTRY to the country the municipality is in, e.g. DNK, DEU, SWE "
            "(the open-data catalogue names it).",
            id="portal.E010",
        )
    ]
