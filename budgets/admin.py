from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from budgets import models
from budgets.services import BudgetError, change_line_amount
from portal import audit
from portal.admin import AuditedDeleteAdmin, ReadOnlyAdmin, TranslatedAdmin
from portal.i18n import all_languages, in_default_language


@admin.register(models.Committee)
class CommitteeAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(models.LineKind)
class LineKindAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    list_display = ["name", "code", "is_central", "position"]


@admin.register(models.FollowUpRound)
class FollowUpRoundAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    list_display = ["name", "code", "position"]


@admin.register(models.ElectionPeriod)
class ElectionPeriodAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    list_display = ["__str__", "name", "first_year", "last_year"]


class BudgetLineForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for changing the amount"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when the amount of an existing line changes. Recorded in the audit log."
        ),
    )

    class Meta:
        model = models.BudgetLine
        fields = [
            "budget_year",
            "code",
            *all_languages("name"),
            "kind",
            "amount",
            "owner",
            "carries_over",
            "position",
        ]

    def clean(self):
        cleaned = super().clean()
        amount_changed = self.instance.pk and "amount" in self.changed_data
        if amount_changed and not cleaned.get("change_reason", "").strip():
            self.add_error("change_reason", _("Give a reason for the change."))
        return cleaned


@admin.register(models.BudgetLine)
class BudgetLineAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    form = BudgetLineForm
    # Named here: modeltranslation's admin builds its fields from the model, not the form.
    fields = [
        "budget_year",
        "code",
        "name",
        "kind",
        "amount",
        "owner",
        "carries_over",
        "position",
        "change_reason",
    ]
    list_display = ["code", "name", "budget_year", "kind", "amount", "owner", "carries_over"]
    # By the year's number, not its key: the staff front page links to this year's lines
    # (budgets.contributions) without looking the year up.
    list_filter = ["budget_year__year", "kind", "owner"]
    search_fields = ["code", *all_languages("name")]

    def save_model(self, request, obj, form, change):
        if change and "amount" in form.changed_data:
            new_amount = obj.amount
            obj.amount = form.initial["amount"]
            obj.save()  # every other field as edited
            try:
                change_line_amount(
                    line=obj,
                    amount=new_amount,
                    actor=request.user,
                    reason=form.cleaned_data["change_reason"],
                )
            except BudgetError as error:
                raise ValidationError(str(error)) from error
        else:
            with transaction.atomic():
                obj.save()
                if not change:
                    audit.record(
                        actor=request.user,
                        action="budget.create_line",
                        obj=obj,
                        summary=f"{obj.budget_year.year} {obj.code}",
                        amount=f"{obj.amount:.2f}",
                    )


@admin.register(models.BudgetYear)
class BudgetYearAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    list_display = ["year"]


@admin.register(models.Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    """Read-only: commitments are booked and reversed on the staff pages, through the service."""

    never_deleted = _(
        "A commitment is never deleted; reverse it with a reason on the budget line's staff page."
    )

    list_display = ["booked_on", "line", "amount", "source", "description", "is_spent"]
    list_filter = ["source", "is_spent", "line__budget_year"]
    raw_id_fields = ["trip", "grant_application"]
    search_fields = ["description", "reference"]


class MilestoneInline(admin.TabularInline):
    model = models.Milestone
    extra = 0


@admin.register(models.Initiative)
class InitiativeAdmin(AuditedDeleteAdmin):
    list_display = ["number", "title", "budget_year", "responsible_committee", "economy_smiley"]
    list_filter = ["budget_year", "responsible_committee"]
    inlines = [MilestoneInline]


@admin.register(models.StaffResource)
class StaffResourceAdmin(TranslatedAdmin, AuditedDeleteAdmin):
    """The staff time the public budget shows beside the money: each save is in the audit
    log with what changed, as before and after (a delete too, as every delete here)."""

    fields = [
        "budget_year",
        "description",
        "full_time_equivalents",
        "hours_per_year",
        "estimated_cost",
        "position",
    ]
    list_display = [
        "description",
        "budget_year",
        "full_time_equivalents",
        "hours_per_year",
        "estimated_cost",
    ]
    list_filter = ["budget_year__year"]
    search_fields = all_languages("description")

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changed = [name for name in form.changed_data if name in form.fields]
            if change and not changed:
                return
            before = {
                name: form.fields[name].to_python(form.initial.get(name)) if change else None
                for name in changed
            }
            audit.record(
                actor=request.user,
                action=audit.AuditAction.BUDGET_STAFF_RESOURCE,
                obj=obj,
                summary=f"{obj.budget_year.year} {in_default_language(obj, 'description')}",
                **{name: _as_logged(value) for name, value in before.items()},
                **{
                    f"{name}{audit.NEW_VALUE}": _as_logged(form.cleaned_data.get(name))
                    for name in changed
                },
            )


def _as_logged(value) -> str:
    """A field's value for the audit log: a record as it is named (a year), nothing as an
    empty text, a number with its two decimals as stored."""
    if value is None:
        return ""
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)
