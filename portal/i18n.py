"""Content staff write, stored in every shipped language (django-modeltranslation).

Each app's `translation.py` registers the fields staff write in several languages
(`register_translated`); the library adds a column per shipped language (`name_da`,
`name_en`, `name_de`) and reads `name` in the active language. Where the active language
has no text, the reader gets the default language's text as a `DefaultLanguageText`,
which templates mark with its language (`|lang_attr`) and a note (`{% untranslated_note %}`).
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language, get_language_from_path, get_language_from_request
from modeltranslation.fields import TranslationFieldDescriptor
from modeltranslation.translator import TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname
from modeltranslation.utils import get_language as active_code

from portal.municipalities import default_language, offered_languages

# The API's addresses: read by programs, with no language prefix.
API_PREFIX = "/api/"


def request_language(request) -> str:
    """The language a request is answered in. A page's address says it (a prefix, none for
    the default language); the API's addresses carry none, so a program asks for one as
    HTTP has it, in Accept-Language (or the language cookie a browser's switch set), and
    its validation errors and 404s come in that language."""
    offered = [code for code, _name in offered_languages()]
    if request.path_info.startswith(API_PREFIX):
        asked = get_language_from_request(request, check_path=False)
    else:
        asked = get_language_from_path(request.path_info)
    return asked if asked in offered else default_language()


class DefaultLanguageText(str):
    """Staff's text in another language than the page's, shown because the page's language
    has none: templates mark it with its language."""

    def __new__(cls, value: str, lang: str):
        text = super().__new__(cls, value)
        text.lang = lang
        return text


class MarkedFallbackDescriptor(TranslationFieldDescriptor):
    """modeltranslation's descriptor, telling a fallback text from a translated one."""

    def __get__(self, instance, owner):
        if instance is None:
            return self
        # The common case first (a text in the page's language), without the library's
        # resolution of fallbacks: a download of 100,000 trips reads millions of these.
        own = instance.__dict__.get(localized(self.field.name, active_code()))
        if own:
            return own
        # Else the municipality's default language (each has its own: portal.municipalities).
        default = default_language()
        text = instance.__dict__.get(localized(self.field.name, default))
        if text:
            return DefaultLanguageText(text, default)
        value = super().__get__(instance, owner)
        if instance is None or not isinstance(value, str) or not value:
            return value
        active = get_language() or default_language()
        own = getattr(instance, localized(self.field.name, active), None)
        if own:
            return value
        return DefaultLanguageText(value, default_language())


def register_translated(model, *field_names: str, required: tuple[str, ...] = ()) -> None:
    """Store `field_names` of `model` in every shipped language. `required` fields must be
    written in the default language: the admin and `portal.forms.TranslatedForm` require
    them there, so the schema does not depend on a deployment's default language."""
    options = type(
        f"{model.__name__}TranslationOptions", (TranslationOptions,), {"fields": field_names}
    )
    translator.register(model, options)
    for name in field_names:
        getattr(model, name).__class__ = MarkedFallbackDescriptor
    model.translated_required = required
    for name in field_names:
        for code in settings.MODELTRANSLATION_LANGUAGES:
            # Typed in that language: spell-checkers and screen readers follow it.
            model._meta.get_field(localized(name, code)).language_code = code


def localized(field: str, code: str) -> str:
    """`name`, 'de' -> 'name_de': the column that holds a text staff write in one language.
    The one place that knows how those columns are named (modeltranslation's rule); a test
    keeps every other module from spelling it out."""
    return build_localized_fieldname(field, code)


def language_of_column(column: str) -> str | None:
    """'purpose_de' -> 'de': the shipped language whose column this is, or None."""
    for code in settings.MODELTRANSLATION_LANGUAGES:
        field = column[: -len(code) - 1]
        if field and localized(field, code) == column:
            return code
    return None


def translated_field_names(field: str, languages=None) -> list[str]:
    """`name` -> ['name_da', 'name_en', ...] for the offered languages, default first."""
    codes = [code for code, _name in (languages or offered_languages())]
    codes.sort(key=lambda code: code != default_language())
    return [localized(field, code) for code in codes]


def all_languages(field: str) -> list[str]:
    """`name` -> ['name_da', 'name_en', 'name_de']: a column per shipped language, the same in
    every deployment (the API and the JSON downloads give them all)."""
    return [localized(field, code) for code in settings.MODELTRANSLATION_LANGUAGES]


def in_default_language(obj, field: str) -> str:
    """A text staff write, in the portal's default language whatever the reader's: for
    records that outlive a request (the audit log) and names that must not change with it."""
    return getattr(obj, localized(field, default_language()), "") or ""


def from_row(row: dict, key: str) -> str:
    """The text of `key` (e.g. 'scheme__name') in the active language from a values() row
    that holds every language (`all_languages`), falling back like a model's field."""
    active = get_language() or default_language()
    text = row.get(localized(key, active)) or ""
    if text:
        return text
    default = row.get(localized(key, default_language())) or ""
    return DefaultLanguageText(default, default_language()) if default else ""


@receiver(setting_changed)
def _fall_back_to_the_default_language(setting, **kwargs):
    """modeltranslation reads its default and fallback language once, and Django's URL
    resolver keeps the addresses it built: a changed LANGUAGE_CODE (tests that run a second
    municipality's portal) must move them along."""
    if setting == "LANGUAGE_CODE":
        from django.urls import clear_url_caches
        from modeltranslation import settings as mt_settings

        clear_url_caches()  # which language's addresses have no prefix

        mt_settings.DEFAULT_LANGUAGE = settings.LANGUAGE_CODE
        mt_settings.FALLBACK_LANGUAGES = {"default": (settings.LANGUAGE_CODE,)}
