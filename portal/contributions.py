"""What the apps contribute to pages and jobs that gather them: one registry.

An app contributes in its own `contributions.py`, which the registry imports once for every
installed app (as the open-data datasets and the kept totals are found). The shell, or a
page of a lower app, asks by the hook's name and never imports the app that answers, so the
layers hold (`make lint`) and an app that is not installed simply contributes nothing.
Contributions come in the order of their `order` (then of the installed apps), which is the
order a page shows them in.

The hooks:

- `search`: a `SearchSection`, a section of the site's search results.
- `workload`: `(user, today) -> list[Count]`, what waits for a member of staff (the staff
  front page); an empty list for a role the user does not hold.
- `sitemap`: `(key, sitemap)`, a section of the sitemap.
- `demo`: `(data) -> None`, load the app's part of a municipality's demo file.
- `demo_sections`: a list of `portal.demo_file.Section`, the parts of the demo file the
  app's `demo` loads, which the file is checked against before anything is written.
- `partner_city`: `(city) -> dict`, what a partner city's page shows of the app (context).
- `published_grant_figures`: `(years) -> rows`, the grant figures the public may see per
  scheme and year (one contributor: grants).
- `pays_grants`: `(line) -> bool`, whether a grant scheme pays from the line.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.urls import reverse

_HOOKS: dict[str, list[tuple[int, int, Any]]] = defaultdict(list)
_found = False


def contribute(hook: str, *, order: int = 0) -> Callable:
    """Register the decorated function (or object) under `hook`, at `order`."""

    def register(item):
        _HOOKS[hook].append((order, len(_HOOKS[hook]), item))
        return item

    return register


def contributions(hook: str) -> list:
    """Everything contributed to `hook`, in order."""
    _find()
    return [item for _order, _n, item in sorted(_HOOKS[hook], key=lambda entry: entry[:2])]


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


@dataclass(frozen=True)
class SearchSection:
    """A section of search results: `find(query)` gives the matches, best first; the
    snippet marks the words found in `snippet_fields`."""

    title: Any
    find: Callable
    snippet_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Count:
    """A count on the staff front page, a link to the work it counts."""

    key: str
    label: str
    count: int
    url: str


def address(name: str, args=(), **query) -> str:
    """A page's address with a query string: a front-page count's link."""
    url = reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url
