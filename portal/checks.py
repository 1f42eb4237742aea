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
