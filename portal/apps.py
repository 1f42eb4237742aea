from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from portal import (
            checks,  # noqa: F401 - registers the deploy checks
            converters,
        )

        converters.register()  # before any app's addresses are read

        from django.db.backends.signals import connection_created

        from portal.search import register_sqlite_functions

        # Search folds Unicode text the same on SQLite as on PostgreSQL (portal.search.Fold).
        connection_created.connect(register_sqlite_functions, dispatch_uid="portal:search")

        # Each app's open datasets (see portal.opendata).
        autodiscover_modules("datasets")
        # Each committed write moves the versions of the tables it touched (portal.pagecache).
        from portal.pagecache import watch_writes

        connection_created.connect(watch_writes, dispatch_uid="portal:pagecache")
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            watch_writes(connection)

        # A user made in a municipality (its admin, a command run for it) is its staff.
        from django.conf import settings
        from django.db.models.signals import post_save

        from portal import municipalities

        post_save.connect(
            municipalities.staff_of_active,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="portal:staff",
        )
