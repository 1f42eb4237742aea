from django.contrib import admin

from portal.models import AuditEntry, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (None, {"fields": ["municipality_name", "logo_text", "website_url"]}),
        ("Front page", {"fields": ["tagline_da", "tagline_en", "intro_da", "intro_en"]}),
        ("Contact", {"fields": ["contact_email", "contact_phone", "address"]}),
    ]

    def has_add_permission(self, request):
        # There is one record; it is created on first use.
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by the services alone."""

    list_display = ["at", "actor", "action", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["summary", "reason", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
