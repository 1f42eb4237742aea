from django.contrib import admin

from travel import models


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Trip)
class TripAdmin(admin.ModelAdmin):
    """For looking up; trips are recorded, published and corrected on the staff pages,
    where every change after publication is recorded."""

    list_display = ["title", "starts_on", "committee", "state", "accounts_status"]
    list_filter = ["state", "accounts_status", "committee"]
    search_fields = ["title", "destination_city"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
