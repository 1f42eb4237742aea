from django import forms
from django.contrib import admin

from grants.enums import ApplicantKind
from grants.models import GrantApplication, GrantScheme


class GrantSchemeForm(forms.ModelForm):
    applicant_kinds = forms.MultipleChoiceField(
        choices=ApplicantKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = GrantScheme
        fields = [
            "slug",
            "name_da",
            "name_en",
            "budget_line_code",
            "applicant_kinds",
            "requires_under_25",
            "requires_partner_city",
            "opens_on",
            "closes_on",
            "cap",
            "text_da",
            "text_en",
        ]


@admin.register(GrantScheme)
class GrantSchemeAdmin(admin.ModelAdmin):
    form = GrantSchemeForm
    list_display = ["name_da", "budget_line_code", "opens_on", "closes_on", "cap"]
    prepopulated_fields = {"slug": ["name_da"]}


@admin.register(GrantApplication)
class GrantApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications move through the officers' pages, where every move is recorded."""

    list_display = ["pk", "scheme", "state", "submitted_at", "amount_requested", "amount_granted"]
    list_filter = ["scheme", "state"]
    filter_horizontal = ["linked_officers"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
