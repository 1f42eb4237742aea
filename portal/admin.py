import axes.admin  # noqa: F401 - registers axes' admin first, so it can be replaced here
from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.translator import translator

from portal import audit
from portal.audit import AuditAction
from portal.forms import AmountField
from portal.i18n import localized
from portal.mailboxes import validate_plain_address
from portal.models import (
    AuditEntry,
    Municipality,
    MunicipalityHost,
    OutboxMail,
    Population,
    SiteSettings,
)
from portal.money import format_money
from portal.municipalities import current, offered_languages
from portal.roles import Role, role_label

# Every decimal the portal keeps is money: typed in the admin as on the staff pages.
AMOUNTS_AS_TYPED = {models.DecimalField: {"form_class": AmountField}}


class OfferedLanguagesOnly:
    """A modeltranslation admin that shows a text's fields only for the languages this
    portal offers (LANGUAGES), though the database keeps a column for every shipped one."""

    def _unoffered_fields(self) -> set[str]:
        offered = {code for code, _name in offered_languages()}
        fields = translator.get_options_for_model(self.model).fields
        return {
            localized(field, code)
            for field in fields
            for code in settings.MODELTRANSLATION_LANGUAGES
            if code not in offered
        }

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *self._unoffered_fields()]

    def get_fieldsets(self, request, obj=None):
        hidden = self._unoffered_fields()
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in super().get_fieldsets(request, obj)
        ]


class TranslatedAdmin(OfferedLanguagesOnly, TranslationAdmin):
    """The admin of a model with texts in several languages (portal.i18n)."""

    formfield_overrides = AMOUNTS_AS_TYPED


class TranslatedInline(OfferedLanguagesOnly, TranslationTabularInline):
    pass


class KeptRecords:
    """What is never deleted says so in words. Nothing that was ever public, no commitment,
    no decided case and no audit entry is deleted (taking down with a reason is the way):
    the admin offers deleting only what may go, a selection keeps the records that must
    stay and says why, and a delete page that is refused explains itself."""

    # Why no record of this kind is ever deleted; empty where some may be.
    never_deleted = ""

    def delete_refusal(self, request, obj) -> str:
        """Why this record must be kept, in words; "" when it may be deleted."""
        return str(self.never_deleted)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.delete_refusal(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _action, name, description = actions["delete_selected"]
            actions[name] = (delete_selected_or_explain, name, description)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not self.has_delete_permission(request, obj):
            reason = self.delete_refusal(request, obj) or gettext(
                "Your role does not allow deleting it."
            )
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": obj,
                "title": gettext("“%(object)s” cannot be deleted") % {"object": obj},
                "reason": reason,
                "can_view": self.has_view_or_change_permission(request, obj),
            }
            return TemplateResponse(request, "admin/delete_refused.html", context, status=403)
        return super().delete_view(request, object_id, extra_context)


def delete_selected_or_explain(modeladmin, request, queryset):
    """Django's "delete selected", for the selected records that may go; the others stay, and
    a message names each and says why."""
    kept = {}
    for obj in queryset:
        if reason := modeladmin.delete_refusal(request, obj):
            kept[obj.pk] = gettext("“%(object)s” is kept: %(reason)s") % {
                "object": obj,
                "reason": reason,
            }
    if kept:
        messages.warning(request, " ".join(kept.values()))
    deletable = queryset.exclude(pk__in=kept)
    if not deletable.exists():
        return None  # back to the list, with the message
    return delete_selected(modeladmin, request, deletable)


delete_selected_or_explain.allowed_permissions = ("delete",)


class AuditedDeleteAdmin(KeptRecords, admin.ModelAdmin):
    """Whatever the admin may delete, the audit log says who deleted it and what it was."""

    formfield_overrides = AMOUNTS_AS_TYPED

    def _audit_delete(self, request, obj) -> None:
        audit.record(
            actor=request.user,
            action=AuditAction.ADMIN_DELETE,
            obj=obj,
            summary=f"{obj._meta.verbose_name}: {obj}",
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit_delete(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._audit_delete(request, obj)
            super().delete_queryset(request, queryset)


class ReadOnlyAdmin(KeptRecords, admin.ModelAdmin):
    """Rows that services write and nobody edits or deletes: the admin only shows them."""

    never_deleted = _("It was written by the portal's services and is kept as it is.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


SITE_SETTINGS_FIELDSETS = [
    (None, {"fields": ["municipality_name", "logo_text", "website_url"]}),
    (_("Front page"), {"fields": ["tagline", "intro"]}),
    (_("Contact"), {"fields": ["contact_email", "contact_phone", "address"]}),
    (
        _("Rules"),
        {"fields": ["grant_four_eyes_amount", "trip_publication_days", "carry_over_rule"]},
    ),
]


@admin.register(SiteSettings)
class SiteSettingsAdmin(TranslatedAdmin):
    fieldsets = SITE_SETTINGS_FIELDSETS

    def has_add_permission(self, request):
        # There is one record; it is created on first use.
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            if changes:
                audit.record(
                    actor=request.user,
                    action=AuditAction.SITE_SETTINGS,
                    obj=obj,
                    summary=", ".join(str(form.fields[name].label) for name in changes),
                    **{name: _was(form.initial.get(name)) for name in changes}
                    | {f"{name} (new)": _was(value) for name, value in changes.items()},
                )


def _was(value) -> str:
    """A setting's value for the audit log: an empty text, not "None"."""
    return "" if value is None else str(value)


class RecordKindFilter(admin.SimpleListFilter):
    """The kinds of record the log is about, named in the reader's language."""

    title = _("kind of record")
    parameter_name = "object_type__exact"

    def lookups(self, request, model_admin):
        entries = model_admin.get_queryset(request).order_by()
        kinds = entries.values_list("object_type", flat=True).distinct()
        return sorted(((kind, audit.record_kind(kind)) for kind in kinds), key=lambda k: k[1])

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is written by the services alone. Times in the portal's time
    zone, amounts as money and actions by their names, on the list and on each entry."""

    never_deleted = _("The audit log is never changed or deleted.")

    list_display = ["when", "actor", "action_label", "what", "money"]
    # Who (only those who appear in the log), what, when; search by words, case or user name.
    list_filter = [
        "action",
        ("at", admin.DateFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
        RecordKindFilter,
    ]
    search_fields = ["summary", "reason", "object_id", "actor__username"]
    date_hierarchy = "at"
    fields = ["when", "actor", "action_label", "record", "object_id", "what", "money"]
    readonly_fields = fields + ["reason", "details"]

    def get_fields(self, request, obj=None):
        return [*self.fields, "reason", "details"]

    @admin.display(description=_("when"), ordering="at")
    def when(self, entry):
        return date_format(timezone.localtime(entry.at), "DATETIME_FORMAT")

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, entry):
        return entry.get_action_display()

    @admin.display(description=_("kind of record"), ordering="object_type")
    def record(self, entry):
        return audit.record_kind(entry.object_type)

    @admin.display(description=_("what"), ordering="summary")
    def what(self, entry):
        return audit.readable_summary(entry)

    @admin.display(description=_("amount"), ordering="amount")
    def money(self, entry):
        return format_money(entry.amount) if entry.amount is not None else ""

    @admin.display(description=_("details"))
    def details(self, entry):
        return "; ".join(f"{name}: {value}" for name, value in audit.readable_details(entry))


@admin.register(OutboxMail)
class OutboxMailAdmin(ReadOnlyAdmin):
    """Read-only: what the portal sent, and what it could not send (filter: state). Never the
    text: a mail may be an applicant's, and staff have no business reading it (its private
    link is not even stored, see portal.outbox)."""

    list_display = ["created_at", "kind", "to", "subject", "state", "attempts", "last_error"]
    fields = [
        "created_at",
        "kind",
        "to",
        "subject",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    list_filter = ["state", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"


# Users and roles: superusers only. The Administrator role keeps the domain data; if it
# could change users it could make itself superuser or sign in as another officer.

User = get_user_model()


class PortalUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            # Roles are groups named in English in the database; show them in the reader's.
            self.fields["groups"].label_from_instance = lambda group: role_label(group.name)

    def clean_email(self):
        # Staff addresses are compared with applicants' (the own-case rule): only plain ones.
        address = self.cleaned_data.get("email") or ""
        validate_plain_address(address)
        return address

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups") or []
        is_officer = any(group.name == Role.GRANT_OFFICER.value for group in groups)
        if is_officer and not (cleaned.get("email") or "").strip():
            # The own-case rule compares email addresses: an officer without one escapes it.
            self.add_error("email", _("A grant officer must have an email address."))
        return cleaned


class SuperuserOnly:
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_module_permission = has_view_permission

    def has_add_permission(self, request):
        return self.has_view_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request)


class PortalUserAdmin(SuperuserOnly, AuditedDeleteAdmin, UserAdmin):
    form = PortalUserChangeForm

    def get_queryset(self, request):
        """At a municipality's address: its staff and the service's administrators, never
        another municipality's staff."""
        users = super().get_queryset(request)
        found = current()
        if found is None:
            return users.none()
        return users.filter(
            models.Q(is_superuser=True) | models.Q(municipalities=found.pk)
        ).distinct()

    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).values("is_staff", "is_superuser").first()
        super().save_model(request, obj, form, change)
        if not change:
            audit.record(
                actor=request.user, action=AuditAction.USER_CREATE, obj=obj, summary=obj.username
            )
        elif before and {k: getattr(obj, k) for k in before} != before:
            audit.record(
                actor=request.user,
                action=AuditAction.USER_STATUS,
                obj=obj,
                summary=obj.username,
                is_staff=obj.is_staff,
                is_superuser=obj.is_superuser,
                was_staff=before["is_staff"],
                was_superuser=before["is_superuser"],
            )

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = set(user.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(user.groups.values_list("name", flat=True))
        if before != after:
            audit.record(
                actor=request.user,
                action=AuditAction.USER_ROLES,
                obj=user,
                summary=user.username,
                roles=", ".join(sorted(after)) or "-",
                added=", ".join(sorted(after - before)),
                removed=", ".join(sorted(before - after)),
            )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and isinstance(response, HttpResponseRedirect):
            user = User.objects.get(pk=id)
            if user.pk != request.user.pk:
                audit.record(
                    actor=request.user,
                    action=AuditAction.USER_PASSWORD,
                    obj=user,
                    summary=user.username,
                )
        return response


class MunicipalityHostInline(admin.TabularInline):
    model = MunicipalityHost
    extra = 1


class PopulationInline(admin.TabularInline):
    model = Population
    extra = 1


@admin.register(Municipality)
class MunicipalityAdmin(SuperuserOnly, AuditedDeleteAdmin):
    """The service's administrators make municipalities, their host names and their staff;
    each municipality's administrators keep the rest in its own admin."""

    list_display = ["name", "slug", "languages", "currency", "region", "publishes_nationally"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["staff"]
    inlines = [MunicipalityHostInline, PopulationInline]

    def has_delete_permission(self, request, obj=None):
        return False  # its rows keep it (PROTECT): a municipality is never deleted

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_municipality = obj if current() is None else current()
            from portal.scoping import municipality as active

            with active(audit_municipality):
                audit.record(
                    actor=request.user,
                    action=AuditAction.MUNICIPALITY_SAVE,
                    obj=obj,
                    summary=f"{obj.name}: {', '.join(form.changed_data)}",
                )


class PortalGroupAdmin(SuperuserOnly, AuditedDeleteAdmin, GroupAdmin):
    list_display = ["role"]

    @admin.display(description=_("role"), ordering="name")
    def role(self, group) -> str:
        return role_label(group.name)


class LockoutAdmin(AuditedDeleteAdmin, AccessAttemptAdmin):
    """Failed logins per user name and address; deleting an entry lifts its lockout, and is
    audited."""


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LockoutAdmin)
admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, PortalGroupAdmin)
