from django.contrib import admin
from django.utils.translation import gettext

from portal.admin import AuditedDeleteAdmin, TranslatedAdmin
from travel import models
from travel.services import change_person, trip_has_bookings


@admin.register(models.Person)
class PersonAdmin(AuditedDeleteAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        """A new kind counts the person anew on every trip they went on (the service)."""
        kind = obj.kind
        if change and "kind" in form.changed_data:
            obj.kind = form.initial["kind"]
            super().save_model(request, obj, form, change)
            change_person(person=obj, kind=kind)
        else:
            super().save_model(request, obj, form, change)


@admin.register(models.Trip)
class TripAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    """For looking up; trips are recorded, published and corrected on the staff pages,
    where every change after publication is recorded."""

    list_display = ["title", "starts_on", "committee", "state", "accounts_status"]
    list_filter = ["state", "accounts_status", "committee"]
    search_fields = ["title", "destination_city"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_refusal(self, request, obj) -> str:
        """Only a draft that was never public and booked nothing may be deleted; anything
        else is taken down with a reason on the staff pages."""
        if obj.published_at is not None:
            return gettext(
                "It has been public. Take it down with a reason on the trip's staff page."
            )
        if trip_has_bookings(obj):
            return gettext("It has booked money on a budget line, which keeps it.")
        return ""
