"""Bilingual content stored in the database.

Editorial text that staff write (descriptions, intros) is kept in a Danish
and an English field, `<name>_da` and `<name>_en`. Readers get the field of
the active language, falling back to Danish where no English text was written.
"""

from django.utils.translation import get_language


def localized(obj, field: str) -> str:
    return choose_language(getattr(obj, f"{field}_da", ""), getattr(obj, f"{field}_en", ""))


class DefaultLanguageText(str):
    """Staff's text in the default language, shown because the reader's language has none:
    templates mark it with its language (`|lang_attr`)."""

    lang = "da"


def choose_language(danish: str, english: str) -> str:
    """The English text when English is active and there is one, else the Danish (marked as
    such when the reader asked for English)."""
    if (get_language() or "da")[:2] == "en":
        return english if english else DefaultLanguageText(danish)
    return danish


class LocalizedField:
    """A read-only attribute: `description = LocalizedField()` reads description_da/_en."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return localized(obj, self.name)
