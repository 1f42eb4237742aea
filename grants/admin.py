from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants import services
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


def _officers():
    return (
        get_user_model()
        .objects.filter(Q(groups__name=Role.GRANT_OFFICER.value) | Q(is_superuser=True))
        .distinct()
        .order_by("username")
    )


class LinkOfficersForm(forms.ModelForm):
    """Links officers to a case; it never unlinks. A link (a declared conflict of interest
    above all) is lifted only through `LiftConflictForm`, by another administrator, with a
    reason: else an officer who is also an administrator could undo his own conflict."""

    class Meta:
        model = GrantApplication
        fields = ["linked_officers"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "linked_officers" in self.fields:
            self.fields["linked_officers"].queryset = _officers()

    def clean_linked_officers(self):
        chosen = self.cleaned_data["linked_officers"]
        if self.instance.pk:
            removed = self.instance.linked_officers.exclude(pk__in=[user.pk for user in chosen])
            if removed.exists():
                raise ValidationError(
                    _(
                        "Officers are unlinked only with “Lift a conflict of interest”, by "
                        "another administrator and with a reason: %(names)s."
                    )
                    % {"names": ", ".join(user.get_username() for user in removed)}
                )
        return chosen


class LiftConflictForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None)
    reason = forms.CharField(
        label=_("Why the conflict of interest no longer stands"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, application, administrator, **kwargs):
        super().__init__(*args, **kwargs)
        # Nobody is offered their own link: another administrator lifts it.
        self.fields["officer"].queryset = application.linked_officers.exclude(
            pk=administrator.pk
        ).order_by("username")


@admin.register(GrantApplication)
class GrantApplicationAdmin(AuditedDeleteAdmin):
    """Applications move through the officers' pages, where every move is recorded. Here an
    administrator only links officers to a case (they may then not decide it); nothing is
    deleted, since every application has a history."""

    form = LinkOfficersForm
    never_deleted = _(
        "A grant case has a history and is never deleted; it is closed on the officers' pages."
    )
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
    fields = [*readonly_fields, "linked_officers", "lift_conflict_link"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "lift_conflict_link"]

    @admin.display(description=_("Lift a conflict of interest"))
    def lift_conflict_link(self, obj):
        if obj is None or not obj.pk:
            return "–"
        url = reverse("admin:grants_grantapplication_lift_conflict", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Lift a conflict of interest"))

    def get_urls(self):
        lift = path(
            "<int:pk>/lift-conflict/",
            self.admin_site.admin_view(self.lift_conflict_view),
            name="grants_grantapplication_lift_conflict",
        )
        return [lift, *super().get_urls()]

    def lift_conflict_view(self, request, pk: int):
        """An administrator lifts another officer's link, with a reason (services.lift_conflict)."""
        application = get_object_or_404(GrantApplication, pk=pk)
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        form = LiftConflictForm(
            request.POST or None, application=application, administrator=request.user
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.lift_conflict(
                    application=application,
                    officer=form.cleaned_data["officer"],
                    administrator=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except services.GrantError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                messages.success(request, gettext("The conflict of interest is lifted."))
                return redirect("admin:grants_grantapplication_change", application.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": application,
            "title": gettext("Lift a conflict of interest"),
            "form": form,
        }
        return TemplateResponse(request, "admin/grants/lift_conflict.html", context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_related(self, request, form, formsets, change):
        application = form.instance
        before = set(application.linked_officers.values_list("username", flat=True))
        super().save_related(request, form, formsets, change)
        after = set(application.linked_officers.values_list("username", flat=True))
        services.withdraw_proposals_of_linked(
            application,
            closed_by=request.user,
            reason=gettext("The proposer was linked to the case."),
        )
        if before != after:
            audit.record(
                actor=request.user,
                action="grant.link_officers",
                obj=application,
                summary=f"#{application.pk}: {', '.join(sorted(after)) or '-'}",
                added=", ".join(sorted(after - before)),
                removed=", ".join(sorted(before - after)),
            )
