from django.contrib import admin

from portal.models import SiteSettings


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
