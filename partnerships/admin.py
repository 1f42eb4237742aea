from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partnerships import models
from partnerships.enums import ExchangeKind
from portal.admin import AuditedDeleteAdmin, TranslatedAdmin, TranslatedInline
from portal.choices import label_of


@admin.register(models.FocusArea)
class FocusAreaAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.Consortium)
class ConsortiumAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    list_display = ["name", "members"]


@admin.register(models.PartnerCity)
class PartnerCityAdmin(AuditedDeleteAdmin):
    list_display = ["name", "country", "kind", "since", "consortium", "status"]
    list_filter = ["kind", "status", "focus_areas"]
    search_fields = ["name", "region"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["focus_areas"]


class NetworkMemberCityInline(admin.TabularInline):
    model = models.NetworkMemberCity
    extra = 1


class MembershipInline(admin.StackedInline):
    model = models.Membership
    extra = 0
    max_num = 1


@admin.register(models.CityNetwork)
class CityNetworkAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    list_display = ["name", "website_url"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, NetworkMemberCityInline]


class WorkingGroupInline(TranslatedInline):
    model = models.WorkingGroup
    extra = 1


@admin.register(models.Membership)
class MembershipAdmin(AuditedDeleteAdmin):
    list_display = ["network", "role", "annual_fee", "since", "status"]
    inlines = [WorkingGroupInline]


class CharterAttachmentInline(admin.TabularInline):
    model = models.CharterAttachment
    extra = 1


@admin.register(models.Charter)
class CharterAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    list_display = ["title", "network", "case_number", "decision_date", "signed_by"]
    search_fields = ["title", "case_number"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CharterAttachmentInline]


@admin.register(models.Exchange)
class ExchangeAdmin(AuditedDeleteAdmin):
    list_display = ["title", "kind_label", "school", "partner_city", "starts_on", "status"]
    list_filter = ["kind", "status", "partner_city", "school"]
    search_fields = ["title", "school__name"]
    list_select_related = ["school", "partner_city"]
    autocomplete_fields = ["school"]
    date_hierarchy = "starts_on"
    readonly_fields = ["registered_by", "created_at", "updated_at"]

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, exchange):
        # The admin's own column shows "-" for a kind the model no longer has.
        return label_of(ExchangeKind, exchange.kind)


@admin.register(models.School)
class SchoolAdmin(AuditedDeleteAdmin):
    """The schools and units coordinators choose from on the exchange form. A school with
    exchanges is not deleted (they keep it): rename it instead."""

    list_display = ["name", "address"]
    search_fields = ["name", "address"]
