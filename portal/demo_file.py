"""A municipality's demo file, checked whole before anything is written.

Each app declares the parts of the file it loads (`Section`: the model a row becomes, the
keys a row must have, the keys its loader reads itself, the records a row names by their
key, the lists inside a row) and contributes them under the `demo_sections` hook;
`problems()` reads the whole file against them and names every problem by its place in
the file ("budget_years[0].lines[3].name_de: missing"). `manage.py load_demo` writes
nothing when there is one (docs/administrator/demo-data.md).

Texts staff write follow the portal's rule for languages: a key without a language
(`title`) is the default language's text, `title_en` another language's. The default
language's text of a field the model requires (`translated_required`) must be there;
another language's may be missing, and the pages then show the default language's text,
marked (portal.i18n). A text in a language the municipality does not offer (its
`languages`, from the file's `municipality` part: portal.demo_municipality) is a problem: it
would be stored where no page shows it. The reader runs inside that municipality.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator

from portal.i18n import localized
from portal.municipalities import default_language, offered_languages

# A language code as it ends a text's key: title_de, title_pt_br.
LANGUAGE_SUFFIX_LENGTHS = (2, 3, 5)


@dataclass(frozen=True)
class Reference:
    """A row's key that names another record by its natural key: one in the file's
    `section` (its rows' `field`), or one already in the database."""

    key: str
    section: str
    field: str
    model: type[models.Model]
    # The keys the loader makes itself when the file's section is missing (Denmark's line
    # kinds where a file names none).
    defaults: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A part of the demo file: rows (a list of objects, or one object when `single`) that
    become records of `model`."""

    key: str
    model: type[models.Model]
    # Keys every row must have (a natural key, what the loader reads without a default).
    required: tuple[str, ...] = ()
    # Keys the loader reads itself, that are no field of the model (a nested list, a shape
    # of its own); not checked here beyond being allowed.
    handled: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    nested: tuple["Section", ...] = ()
    single: bool = False
    # Fields the loader works out itself when a row has no key for them (an exchange's
    # dates from its spread): not missing.
    made: tuple[str, ...] = ()
    # Further checks of a row: (key, problem) pairs.
    check: Callable[[dict], list[tuple[str, str]]] | None = None


def _offered() -> list[str]:
    return [code for code, _name in offered_languages()]


def _translated(model) -> tuple[str, ...]:
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def _text_language(key: str, translated: tuple[str, ...]) -> str | None:
    """The language a key's text is in when it is a translated field's key with a language
    (`name_de` -> 'de', `name_pt_br` -> 'pt-br'), else None."""
    for field in translated:
        if key.startswith(f"{field}_"):
            code = key[len(field) + 1 :]
            if len(code) in LANGUAGE_SUFFIX_LENGTHS and code.replace("_", "").isalpha():
                return code.replace("_", "-")
    return None


def _needed(model) -> list:
    """The model's fields a row must give: those the database cannot fill (no default, no
    NULL, no empty text), that are no relation (the loader finds those) and not made by
    the code (editable=False)."""
    return [
        field
        for field in model._meta.concrete_fields
        if not (
            field.null
            or field.has_default()
            or field.empty_strings_allowed
            or field.primary_key
            or field.is_relation
            or not field.editable
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        )
    ]


def _kind(field) -> str:
    """What a field holds, as a file's writer knows it."""
    if isinstance(field, models.DateTimeField):
        return "date and time (YYYY-MM-DDTHH:MM+01:00)"
    if isinstance(field, models.DateField):
        return "date (YYYY-MM-DD)"
    if isinstance(field, models.IntegerField):
        return "whole number"
    if isinstance(field, models.DecimalField):
        return "amount"
    if isinstance(field, models.BooleanField):
        return "true or false"
    return "valid value"


def _value_problem(field, value) -> str:
    """What is wrong with `value` for the model's `field`, or ""."""
    if value is None:
        return "" if field.null else "empty, but required"
    if value == "" and field.blank:
        return ""
    if isinstance(field, models.JSONField | models.ForeignKey | models.ManyToManyField):
        return ""
    try:
        python = field.to_python(value)
    except ValidationError:
        return f"{value!r} is no {_kind(field)}"
    if field.choices and python not in dict(field.flatchoices):
        allowed = ", ".join(str(code) for code, _label in field.flatchoices)
        return f"{value!r} is none of: {allowed}"
    if isinstance(value, str) and field.max_length and len(value) > field.max_length:
        return f"longer than {field.max_length} characters"
    return ""


class _Reader:
    def __init__(self, data: dict, sections: list[Section]):
        self.data = data
        self.sections = sections
        self.found: list[str] = []
        self._keys: dict[tuple[str, str], set] = {}

    def problem(self, place: str, message: str) -> None:
        self.found.append(f"{place}: {message}")

    def read(self) -> list[str]:
        if not isinstance(self.data, dict):
            self.problem("(the file)", "an object with the sections is expected")
            return self.found
        known = {section.key: section for section in self.sections}
        for key, value in self.data.items():
            if key.startswith("_"):  # a note for the reader, as "_source"
                continue
            if key not in known:
                self.problem(key, f"unknown section (known: {', '.join(sorted(known))})")
                continue
            self.rows(key, value, known[key])
        return self.found

    def rows(self, place: str, value, section: Section) -> None:
        if section.single:
            if not isinstance(value, dict):
                self.problem(place, "an object is expected")
                return
            self.row(place, value, section)
            return
        if not isinstance(value, list):
            self.problem(place, "a list of objects is expected")
            return
        for index, row in enumerate(value):
            here = f"{place}[{index}]"
            if isinstance(row, dict):
                self.row(here, row, section)
            else:
                self.problem(here, "an object is expected")

    def row(self, place: str, row: dict, section: Section) -> None:
        model = section.model
        translated = _translated(model)
        nested = {each.key: each for each in section.nested}
        references = {reference.key: reference for reference in section.references}
        for key in section.required:
            if row.get(key) in (None, "", []):
                self.problem(f"{place}.{key}", "missing")
        for field in _needed(model):
            if field.name not in row and field.name not in (*section.required, *section.made):
                self.problem(f"{place}.{field.name}", "missing")
        default = default_language()
        for field in getattr(model, "translated_required", ()):
            if not (row.get(field) or row.get(localized(field, default))):
                self.problem(
                    f"{place}.{localized(field, default)}",
                    f"missing (the text in the default language, {default}, is required; "
                    "other languages may be left out and show it instead)",
                )
        for key, value in row.items():
            where = f"{place}.{key}"
            if key in nested:
                self.rows(where, value, nested[key])
                continue
            if key in references:
                self.reference(where, value, references[key])
                continue
            if key in section.handled:
                continue
            language = _text_language(key, translated)
            if language is not None and language not in _offered():
                self.problem(
                    where,
                    f"text in a language the municipality does not offer ({language}); it "
                    f"offers {', '.join(_offered())} (municipality.languages)",
                )
                continue
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:
                self.problem(where, "unknown field")
                continue
            if not field.concrete or field.auto_created:
                self.problem(where, "unknown field")
                continue
            if message := _value_problem(field, value):
                self.problem(where, message)
        if section.check is not None:
            for key, message in section.check(row):
                self.problem(f"{place}.{key}", message)

    def reference(self, place: str, value, reference: Reference) -> None:
        if value in (None, ""):
            return
        values = value if isinstance(value, list) else [value]
        for each in values:
            if each in self.keys_in_file(reference):
                continue
            if not self.data.get(reference.section) and each in reference.defaults:
                continue
            if reference.model.objects.filter(**{reference.field: each}).exists():
                continue
            name = reference.model._meta.verbose_name
            self.problem(place, f"no {name} {each!r}, neither in the file nor in the database")

    def keys_in_file(self, reference: Reference) -> set:
        cache_key = (reference.section, reference.field)
        if cache_key not in self._keys:
            rows = self.data.get(reference.section)
            self._keys[cache_key] = {
                row.get(reference.field)
                for row in (rows if isinstance(rows, list) else [])
                if isinstance(row, dict)
            }
        return self._keys[cache_key]


def problems(data, sections: list[Section]) -> list[str]:
    """Every problem of the demo file `data` against `sections`, each named by its place
    in the file; an empty list for a file that loads. Reads the database only to find the
    records rows name that the file does not hold."""
    with translation.override(None):  # a model's name as the code has it, in English
        return _Reader(data, sections).read()


def content_models(sections: list[Section]) -> list[type[models.Model]]:
    """The models whose rows are a municipality's data, as the file's sections load them:
    not the one-row sections (the site settings every municipality has), nor the records a
    migration makes and a file may name by their keys (`Reference.defaults`: the kinds of
    budget line, the follow-up rounds)."""
    from portal.scoping import MunicipalModel

    found, defaults = [], set()

    def walk(section: Section) -> None:
        if not section.single and issubclass(section.model, MunicipalModel):
            found.append(section.model)
        defaults.update(ref.model for ref in section.references if ref.defaults)
        for each in section.nested:
            walk(each)

    for section in sections:
        walk(section)
    return [model for model in dict.fromkeys(found) if model not in defaults]
