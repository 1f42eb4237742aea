import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grants import letters, services
from grants.enums import ApplicantKind
from grants.models import GrantApplication, GrantScheme, LetterKind, LetterTemplate
from portal import audit
from portal.admin import AuditedDeleteAdmin, TranslatedAdmin
from portal.i18n import all_languages, localized
from portal.municipalities import offered_languages
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
            *all_languages("legal_basis"),
            *all_languages("conditions"),
            *all_languages("payment_terms"),
            *all_languages("complaint_guidance"),
            "decision_days",
            "report_days",
            "repay_unspent",
            "classification",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new scheme, or one saved before complaint guidance was required, starts from the
        # portal's text in each language (grants.letters), for the administrator to adapt.
        for code, _name in offered_languages():
            name = localized("complaint_guidance", code)
            if name in self.fields and not self.initial.get(name):
                with translation.override(code):
                    self.initial[name] = str(letters.DEFAULT_COMPLAINT_GUIDANCE)

    def clean(self):
        """Every decision that does not fully grant prints the complaint guidance in the
        applicant's language: a scheme is saved only with it in every offered language."""
        cleaned = super().clean()
        for code, language in offered_languages():
            name = localized("complaint_guidance", code)
            if name in self.fields and not (cleaned.get(name) or "").strip():
                self.add_error(
                    name,
                    gettext(
                        "Write the complaint guidance in %(language)s: every decision that "
                        "does not fully grant prints it in the applicant's language."
                    )
                    % {"language": translation.gettext(language).lower()},
                )
        return cleaned


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


class LetterTemplateForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("language"), choices=())

    class Meta:
        model = LetterTemplate
        fields = ["scheme", "kind", "language", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The languages this portal offers (a deployment setting).
        self.fields["language"].choices = offered_languages()
        known = ", ".join("{" + key + "}" for key in letters.PLACEHOLDERS)
        self.fields["body"].help_text = gettext(
            "Placeholders: %(known)s. The amount, the conditions, the report deadline, how "
            "payment happens, the reasons, the complaint guidance, the officer and how to reach "
            "the office are added to every letter; they need not be written here."
        ) % {"known": known}

    def validate_unique(self):
        # The database's constraint for the default (no scheme) is not one Django checks.
        super().validate_unique()
        data = self.cleaned_data
        if data.get("scheme") is None and data.get("kind") and data.get("language"):
            others = LetterTemplate.objects.filter(
                scheme__isnull=True, kind=data["kind"], language=data["language"]
            ).exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    None,
                    gettext(
                        "There is already a text of this kind in this language for all "
                        "schemes: change that one."
                    ),
                )


def _sample_scheme(template) -> GrantScheme:
    """The scheme a preview shows: the template's, else the first, else a made-up one."""
    if template.scheme_id:
        return template.scheme
    return GrantScheme.objects.first() or GrantScheme(
        name=gettext("Example scheme"),
        opens_on=datetime.date(timezone.localdate().year, 1, 1),
        closes_on=datetime.date(timezone.localdate().year, 12, 31),
    )


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedDeleteAdmin):
    """The wording of decision letters per scheme, kind and language, with a preview of the
    saved text as a letter for a made-up case (grants.letters)."""

    form = LetterTemplateForm
    list_display = ["kind", "language", "scheme", "subject", "changed_at"]
    list_filter = ["kind", "language", "scheme"]
    readonly_fields = ["preview"]
    fields = ["scheme", "kind", "language", "subject", "body", "preview"]

    def get_changeform_initial_data(self, request):
        """A new template starts from the portal's text of its kind and language
        (`?kind=rejection&language=da`)."""
        initial = super().get_changeform_initial_data(request)
        kind = initial.get("kind") or LetterKind.REJECTION
        language = initial.get("language") or translation.get_language()
        if kind in LetterKind.values and language in dict(offered_languages()):
            subject, body = letters.DEFAULT_TEXTS[kind]
            with translation.override(language):
                initial.setdefault("subject", str(subject))
                initial.setdefault("body", str(body))
            initial.setdefault("kind", kind)
            initial.setdefault("language", language)
        return initial

    def _sample(self, template):
        # A made-up officer too: nothing of the preview is read from a real case or person.
        officer = get_user_model()(username="example", first_name="Anna", last_name="Berg")
        with translation.override(template.language):
            return letters.sample_case(_sample_scheme(template), officer, template.kind)

    @admin.display(description=_("Preview"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return gettext("Save the text to see it as a letter for an example case.")
        sample = self._sample(obj)
        letter = letters.decision_letter(sample, texts=(obj.subject, obj.body))
        url = reverse("admin:grants_lettertemplate_preview", args=[obj.pk])
        return format_html(
            '<div class="letter-preview" lang="{}"><p><strong>{}</strong></p>{}</div>'
            '<p><a href="{}">{}</a></p>',
            obj.language,
            letter.subject,
            mark_safe(linebreaks(letter.body, autoescape=True)),  # noqa: S308 - escaped
            url,
            gettext("The whole letter for an example case"),
        )

    def get_urls(self):
        preview = path(
            "<int:pk>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="grants_lettertemplate_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request, pk: int):
        """The whole decision letter for an example case with this template's text, as the
        applicant would read it (the PDF is made from the same page)."""
        template = get_object_or_404(LetterTemplate, pk=pk)
        if not self.has_view_permission(request, template):
            raise PermissionDenied
        sample = self._sample(template)
        html = letters.letter_html(sample, texts=(template.subject, template.body))
        return HttpResponse(html)
