from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from portal import checks  # noqa: F401 - registers the deploy checks

        # Each app's open datasets (see portal.opendata).
        autodiscover_modules("datasets")
        self.invalidate_cached_pages_on_change()

    def invalidate_cached_pages_on_change(self) -> None:
        """Any save or delete of the portal's data makes every cached public page stale."""
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from portal.pagecache import data_changed

        for label in ("portal", "partnerships", "budgets", "travel", "grants"):
            for model in apps.get_app_config(label).get_models():
                uid = f"pagecache:{model._meta.label}"
                post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}:save")
                post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}:delete")
        m2m_changed.connect(data_changed, dispatch_uid="pagecache:m2m")
