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
        self.invalidate_cached_pages_on_change()

    def invalidate_cached_pages_on_change(self) -> None:
        """A save or delete of data the public pages show makes every cached page stale.

        Rows no public page shows (the audit log, the outbox, a case's history, messages and
        files) do not, nor does an application before it is decided: otherwise every
        submitted form would empty the cache for everybody."""
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from portal.pagecache import data_changed

        def decided_application_changed(instance, **kwargs):
            if instance.decided_at is not None:
                data_changed()

        for label in ("portal", "partnerships", "budgets", "travel", "grants"):
            for model in apps.get_app_config(label).get_models():
                if model._meta.label in PRIVATE_MODELS:
                    continue
                receiver = data_changed
                if model._meta.label == "grants.GrantApplication":
                    receiver = decided_application_changed
                uid = f"pagecache:{model._meta.label}"
                post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}:save", weak=False)
                post_delete.connect(
                    receiver, sender=model, dispatch_uid=f"{uid}:delete", weak=False
                )
        m2m_changed.connect(data_changed, dispatch_uid="pagecache:m2m")


# What no public page shows: saving these never makes a cached page stale.
PRIVATE_MODELS = {
    "portal.AuditEntry",
    "portal.OutboxMail",
    "portal.DemoAccount",
    "grants.ApplicationEvent",
    "grants.ApplicationMessage",
    "grants.Attachment",
    "grants.ApprovalProposal",
}
