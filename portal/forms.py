import logging
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from portal.municipalities import default_language

logger = logging.getLogger(__name__)


class DateInput(forms.DateInput):
    """The browser's own date picker; ISO dates, which Django reads in every language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class QuickSelect(forms.Select):
    """A select that writes its options in Python, the same HTML as Django's: Django renders
    each option through a template of its own (about a tenth of a millisecond each), which a
    form pays on every request for a list that grows with the municipality's history (a
    thousand partner cities, every country)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            written = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>',
                (
                    (str(option["value"]), flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            if group_name:
                written = format_html(
                    '\n  <optgroup label="{}">{}\n  </optgroup>', group_name, written
                )
            groups.append((written,))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", groups),
        )


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

        from portal.i18n import localized

        super().__init__(*args, **kwargs)
        for field in getattr(self._meta.model, "translated_required", ()):
            name = localized(field, default_language())
            if name in self.fields:
                self.fields[name].required = True
        model_fields = {field.name: field for field in self._meta.model._meta.fields}
        for name, form_field in self.fields.items():
            if code := getattr(model_fields.get(name), "language_code", None):
                form_field.widget.attrs["lang"] = code


class AmountField(forms.DecimalField):
    """An amount of money as people type it in their language: "12.000" and "12.000,50" in
    Danish and German, "12,000" and "12,000.50" in English, or without grouping ("12000").
    A mark that could be read both ways ("12,000" in Danish: twelve thousand in English,
    twelve with three decimals in Danish) is refused with an example, never guessed. The
    field is text, not a number input: a browser's number input drops or rereads what the
    language's grouping makes of it."""

    default_error_messages = {
        "invalid": _(
            "Write the amount as %(example)s: “%(group)s” between thousands and “%(decimal)s” "
            "before the decimals."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)  # shown back with the language's decimal mark
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        amount = read_amount(str(value))
        if amount is None:
            from portal.money import format_number, separators

            group, decimal = separators()
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={
                    "example": format_number(Decimal("12000.50"), 2),
                    "group": group,
                    "decimal": decimal,
                },
            )
        return amount

    def widget_attrs(self, widget):
        # Not a number input's min, max and step: the field is text (see above).
        attrs = super().widget_attrs(widget)
        return {key: value for key, value in attrs.items() if key not in ("min", "max", "step")}


_SPACES = re.compile(r"[\s\u00a0\u202f]")


def read_amount(text: str) -> Decimal | None:
    """The amount typed in the active language, or None when it cannot be read one way only."""
    from portal.money import separators

    group, decimal = separators()
    text = _SPACES.sub("", text).replace("\u2212", "-")
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, mark, fraction = digits.rpartition(decimal) if decimal in digits else (digits, "", "")
    if mark and not re.fullmatch(r"\d+", fraction):
        return None
    if group in whole:
        if not re.fullmatch(rf"\d{{1,3}}(?:{re.escape(group)}\d{{3}})+", whole):
            # One other mark before one or two digits can only be a decimal mark ("12000.50"
            # in Danish); anything else is not a number in this language.
            other = re.fullmatch(rf"(\d+){re.escape(group)}(\d{{1,2}})", whole)
            if mark or not other:
                return None
            whole, mark, fraction = other.group(1), ".", other.group(2)
        whole = whole.replace(group, "")
    elif mark and len(fraction) == 3:
        return None  # "12,000" in Danish: twelve thousand to an English reader
    if not re.fullmatch(r"\d+", whole):
        return None
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation:
        return None
