"""The words for a stored code, whatever the code.

A code in the database is not always one the code's choices still have: a kind a later
version dropped (an exchange's `staff_visit`), a row written around the models' validation
(an import, a script, a restore of an older backup). `SomeChoices(value)` raises on such a
code and the page that shows it answers 500; every place that turns a stored code into
words goes through `label_of`, which shows the code itself instead, marked as one the
portal does not know (docs/decisions/a-stored-code-the-portal-does-not-know-is-shown-as-other.md).
"""

from collections.abc import Iterable

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext


def label_of(choices, code) -> Promise | str:
    """The label of `code`, translated when it is shown (lazily, as the choices' own
    labels): `choices` is a TextChoices class, a model field or a list of (code, label)
    pairs. A code they do not have gives "other (code)"; an empty code gives ""."""
    if code is None or code == "":
        return ""
    for known, label in _pairs(choices):
        if known == code:
            return label
    return _unknown(code)


def _other(code) -> str:
    return gettext("other (%(code)s)") % {"code": code}


_unknown = lazy(_other, str)


def _pairs(choices) -> Iterable[tuple]:
    if hasattr(choices, "flatchoices"):  # a model field
        return choices.flatchoices
    return getattr(choices, "choices", choices)
