from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self):
        from grants import workflow
        from portal import audit

        audit.known_actions(workflow.audit_actions)
