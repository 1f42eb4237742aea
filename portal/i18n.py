"""Bilingual content stored in the database.

Editorial text that staff write (descriptions, intros) is kept in a Danish
and an English field, `<name>_da` and `<name>_en`. Readers get the field of
the active language, falling back to Danish where no English text was written.
"""

from django.utils.translation import get_language


def localized(obj, field: str) -> str:
    language = (get_language() or "da")[:2]
    if language == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_da", "")


class LocalizedField:
    """A read-only attribute: `description = LocalizedField()` reads description_da/_en."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return localized(obj, self.name)
