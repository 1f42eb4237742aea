"""Which municipality a piece of work is for, and the rows it may see.

One service hosts many municipalities. Every row that belongs to one carries it
(`MunicipalModel.municipality`), and its manager reads only the rows of the municipality
that is active: a request's host selects it (`portal.middleware.MunicipalityMiddleware`),
a command or a worker activates each in turn (`for_each_municipality`), a test one of its
own. Outside any municipality a query fails (`ScopeError`) instead of reading everyone's
rows; that is the control, not a convention each view must remember. The service's own
pages that compare municipalities read across them explicitly, inside
`every_municipality()`, where nothing can be written.

How a queryset is bound:
- made inside a municipality (a view, a job), it is filtered to it at once;
- made outside (a form's class attribute at import), it stays unbound and is filtered by
  the municipality active when it is copied (Django copies a form's querysets per form) or
  turned into SQL;
- evaluated without a municipality, or for another than the one it was made for, it raises.
"""

import contextvars
from contextlib import contextmanager

from django.db import models
from django.db.models import Q

EVERY = "every municipality"  # the national pages: read across municipalities, never write
_PENDING = None


class ScopeError(Exception):
    """A query or a write outside the municipality it needs."""


_active: contextvars.ContextVar = contextvars.ContextVar("municipality", default=None)


def active():
    """The active municipality (a `portal.models.Municipality`), `EVERY`, or None."""
    return _active.get()


def active_municipality():
    """The active municipality; ScopeError outside one (or across all of them)."""
    found = _active.get()
    if found is None or found is EVERY:
        raise ScopeError("No municipality is active: this needs one (see portal.scoping).")
    return found


def active_municipality_id() -> int:
    """The default of every row's `municipality`: a row is made for the active one."""
    return active_municipality().pk


@contextmanager
def municipality(record):
    """`with municipality(m):` the work inside is for `m`: its queries, writes, addresses
    (each default language has its URLconf) and formats."""
    from django.urls import get_urlconf, set_urlconf

    from portal.municipalities import urlconf_for

    urlconf = urlconf_for(record)
    import_urls_outside(urlconf)
    token = _active.set(record)
    before = get_urlconf()
    set_urlconf(urlconf)
    try:
        yield record
    finally:
        set_urlconf(before)
        _active.reset(token)


def import_urls_outside(urlconf: str) -> None:
    """Import a URLconf's modules (the views, and the forms and filters they import) outside
    any municipality: a queryset a class makes at import (a filter's choices) is made in the
    municipality active then, and would be bound to it, failing in every other one. The
    first request of a process (gunicorn runs no system check that imports them first)
    would otherwise choose. Costs nothing once imported."""
    from django.urls import get_resolver

    token = _active.set(None)
    try:
        get_resolver(urlconf).url_patterns  # noqa: B018 - imports the modules it names
    finally:
        _active.reset(token)


@contextmanager
def every_municipality():
    """Read across municipalities (the national comparison, system checks, the recount of
    every municipality's totals). A row cannot be made here: it would belong to none."""
    token = _active.set(EVERY)
    try:
        yield
    finally:
        _active.reset(token)


@contextmanager
def no_municipality():
    """Nothing active, whatever the caller had: a test of the control, or a thread's start."""
    token = _active.set(None)
    try:
        yield
    finally:
        _active.reset(token)


def _scope_key(found):
    return found if found is EVERY else found.pk


class MunicipalQuerySet(models.QuerySet):
    """A queryset that reads one municipality's rows: see the module's docstring."""

    _bound = _PENDING

    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(model=model, query=query, using=using, hints=hints)
        found = _active.get()
        if query is None and model is not None and found is not None:
            self._bind_to(found)  # a manager's fresh queryset, inside a municipality

    def _bind_to(self, found) -> None:
        if found is not EVERY:
            self._query.add_q(Q(municipality=found.pk))
        self._bound = _scope_key(found)

    @property
    def query(self):
        query = models.QuerySet.query.fget(self)
        found = _active.get()
        if self._bound is _PENDING and found is not None:
            # Unbound (made outside a municipality) and read inside one: its SQL is for the
            # active municipality, and the queryset itself stays unbound for the next one.
            query = query.chain()
            if found is not EVERY:
                query.add_q(Q(municipality=found.pk))
        return query

    @query.setter
    def query(self, value):
        models.QuerySet.query.fset(self, value)

    def _clone(self):
        clone = super()._clone()
        found = _active.get()
        if self._bound is _PENDING and found is not None:
            clone._bound = _scope_key(found)  # self.query above was already filtered
        else:
            clone._bound = self._bound
        return clone

    def _check(self, *, caching: bool = False) -> None:
        found = _active.get()
        if found is None:
            raise ScopeError(
                f"A query of {self.model._meta.label} outside any municipality "
                "(activate one: portal.scoping.municipality)."
            )
        if self._bound is _PENDING:
            if caching:
                raise ScopeError(
                    f"A queryset of {self.model._meta.label} made outside any municipality "
                    "is evaluated in one: evaluate a copy (.all()), as Django's forms do."
                )
            return
        if found is not EVERY and self._bound != found.pk:
            raise ScopeError(
                f"A queryset of {self.model._meta.label} made for another municipality "
                "(or across all of them) is evaluated in this one."
            )

    def _fetch_all(self):
        if self._result_cache is None:
            self._check(caching=True)
        super()._fetch_all()

    def _iterator(self, use_chunked_fetch, chunk_size):
        self._check()
        yield from super()._iterator(use_chunked_fetch, chunk_size)

    def count(self):
        if self._result_cache is None:
            self._check()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._check()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._check()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._check()
        return super().update(**kwargs)

    def _update(self, values):
        self._check()
        return super()._update(values)

    def delete(self):
        self._check()
        return super().delete()

    def _raw_delete(self, using):
        self._check()
        return super()._raw_delete(using)

    def explain(self, *, format=None, **options):
        self._check()
        return super().explain(format=format, **options)

    def resolve_expression(self, *args, **kwargs):
        self._check()
        return super().resolve_expression(*args, **kwargs)

    resolve_expression.queryset_only = True


class MunicipalManager(models.Manager.from_queryset(MunicipalQuerySet)):
    """A manager whose querysets read the active municipality's rows (MunicipalQuerySet)."""


class MunicipalModel(models.Model):
    """A row that belongs to one municipality: made for the active one, read only inside it."""

    municipality = models.ForeignKey(
        "portal.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        default=active_municipality_id,
        editable=False,
        verbose_name="municipality",
    )

    objects = MunicipalManager()

    class Meta:
        abstract = True


def for_each_municipality():
    """`for m in for_each_municipality():` the body runs for each municipality in turn, with
    it active: what a command or a scheduled job does (mail, reminders, purge, recount)."""
    from portal.models import Municipality

    for record in list(Municipality.objects.order_by("pk")):
        with municipality(record):
            yield record
