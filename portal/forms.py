import logging

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class DateInput(forms.DateInput):
    """The browser's own date picker; ISO dates, which Django reads in every language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LoginForm(AuthenticationForm):
    """The staff login. Failed attempts are counted by django-axes (settings: AXES_*), for
    this form and the admin's alike; a locked-out user name and address gets
    `shell.views.login_locked_out`."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts to log in. Wait %(minutes)s minutes and try again, "
            "or ask an administrator to lift the lockout."
        ),
    }


# Rows added to a formset without saving: the "add a row" button of includes/formset_table.html.
ADD_ROW = "add_row"


def with_added_row(data, prefix: str):
    """The posted data with one more (empty) form in the formset `prefix`."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(max(total, 0) + 1)
    return data


def without_errors(*forms_and_formsets) -> None:
    """Show bound forms without judging them: adding a row is not sending the form, so what
    is typed is kept and nothing is marked wrong yet."""
    from django.forms.utils import ErrorDict, ErrorList

    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            without_errors(*item.forms)
            item._errors = [ErrorDict() for _form in item.forms]
            item._non_form_errors = ErrorList()
        else:
            item._errors = ErrorDict()


def translated(*fields: str) -> list[str]:
    """Form fields for texts staff write in every offered language, default language first:
    translated("title") -> ["title_da", "title_en"] on a Danish and English portal."""
    from portal.i18n import translated_field_names

    return [name for field in fields for name in translated_field_names(field)]


class TranslatedForm(forms.ModelForm):
    """A staff form with a field per offered language (`translated`): the default language's
    is required where the model's text is (`translated_required`), the others optional, and
    each input is marked with its language."""

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        from portal.i18n import localized

        super().__init__(*args, **kwargs)
        for field in getattr(self._meta.model, "translated_required", ()):
            name = localized(field, settings.LANGUAGE_CODE)
            if name in self.fields:
                self.fields[name].required = True
        model_fields = {field.name: field for field in self._meta.model._meta.fields}
        for name, form_field in self.fields.items():
            if code := getattr(model_fields.get(name), "language_code", None):
                form_field.widget.attrs["lang"] = code
