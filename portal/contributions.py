"""What the apps contribute to pages and jobs that gather them: one registry.

An app contributes in its own `contributions.py`, which the registry imports once for every
installed app (as the open-data datasets and the kept totals are found). A page of a lower
app, or the shell, asks by the hook's name and never imports the app that answers, so the
layers hold (`make lint`) and an app that is not installed simply contributes nothing.

The hooks:

- `partner_city`: `(city) -> dict`, what a partner city's page shows of the app (context).
- `published_grant_figures`: `(years) -> rows`, the grant figures the public may see per
  scheme and year (one contributor: grants).
- `pays_grants`: `(line) -> bool`, whether a grant scheme pays from the line.
"""

from collections import defaultdict
from collections.abc import Callable
from importlib import import_module

from django.apps import apps

_HOOKS: dict[str, list[Callable]] = defaultdict(list)
_found = False


def contribute(hook: str) -> Callable:
    """Register the decorated function under `hook`."""

    def register(function: Callable) -> Callable:
        _HOOKS[hook].append(function)
        return function

    return register


def contributions(hook: str) -> list[Callable]:
    """Every function contributed to `hook`, in the order the apps are installed."""
    _find()
    return list(_HOOKS[hook])


def _find() -> None:
    global _found
    if _found:
        return
    for config in apps.get_app_configs():
        module = f"{config.name}.contributions"
        try:
            import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
    _found = True
