from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q

from grants.enums import ApplicantKind
from grants.models import GrantApplication, GrantScheme
from portal import audit
from portal.admin import AuditedDeleteAdmin, TranslatedAdmin
from portal.i18n import all_languages
from portal.roles import Role


class GrantSchemeForm(forms.ModelForm):
    applicant_kinds = forms.MultipleChoiceField(
        choices=ApplicantKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = GrantScheme
        fields = [
            "slug",
            *all_languages("name"),
            "budget_line_code",
            "applicant_kinds",
            "requires_under_25",
            "requires_partner_city",
            "opens_on",
            "closes_on",
            "cap",
            *all_languages("text"),
        ]


@admin.register(GrantScheme)
class GrantSchemeAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    form = GrantSchemeForm
    list_display = ["name", "budget_line_code", "opens_on", "closes_on", "cap"]
    prepopulated_fields = {"slug": ["name"]}


class LinkOfficersForm(forms.ModelForm):
    class Meta:
        model = GrantApplication
        fields = ["linked_officers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "linked_officers" in self.fields:
            self.fields["linked_officers"].queryset = (
                get_user_model()
                .objects.filter(Q(groups__name=Role.GRANT_OFFICER.value) | Q(is_superuser=True))
                .distinct()
                .order_by("username")
            )


@admin.register(GrantApplication)
class GrantApplicationAdmin(AuditedDeleteAdmin):
    """Applications move through the officers' pages, where every move is recorded. Here an
    administrator only links officers to a case (they may then not decide it); nothing is
    deleted, since every application has a history."""

    form = LinkOfficersForm
    list_display = ["pk", "scheme", "state", "submitted_at", "amount_requested", "amount_granted"]
    list_filter = ["scheme", "state"]
    filter_horizontal = ["linked_officers"]
    readonly_fields = [
        "scheme",
        "state",
        "submitted_at",
        "departs_on",
        "amount_requested",
        "amount_granted",
    ]
    fields = [*readonly_fields, "linked_officers"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        application = form.instance
        before = set(application.linked_officers.values_list("username", flat=True))
        super().save_related(request, form, formsets, change)
        after = set(application.linked_officers.values_list("username", flat=True))
        if before != after:
            audit.record(
                actor=request.user,
                action="grant.link_officers",
                obj=application,
                summary=f"#{application.pk}: {', '.join(sorted(after)) or '-'}",
                added=", ".join(sorted(after - before)),
                removed=", ".join(sorted(before - after)),
            )
