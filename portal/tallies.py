"""Totals kept as rows, so a page reads a few of them instead of adding up all of history.

A `Tally` is a table of sums (trips and their cost per year and committee, grants per
scheme and month, what is committed on each budget line) together with the one query that
counts those sums from the rows they come from. The same query serves three purposes:

- a service that changes rows wraps the change in `tally.change(**scope)`: the sums of
  the rows in scope are counted before and after, and the difference is added to the
  table, in the same transaction, so the totals move with the change or not at all;
- a service that knows the difference itself (a booking of an amount) calls `tally.add`;
- `manage.py recount` counts every sum from all rows and reports (and with `--fix`
  rewrites) any difference, which would mean a change bypassed the services.

Differences are added with `F()` expressions, so two transactions changing different rows
of the same group both count; the services lock the rows they change, so two transactions
never count the same rows' "before" twice.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q

Key = tuple
Sums = dict[str, int | Decimal]


class Tally:
    def __init__(
        self,
        *,
        name: str,
        model: type[models.Model],
        keys: list[str],
        sums: list[str],
        source: Callable[[], models.QuerySet],
        count: Callable[[models.QuerySet], Iterator[tuple[Key, Sums]]],
        rows_exist: bool = False,
    ):
        """`count(queryset of source rows)` yields (key, sums) grouped by `keys`; `source()`
        is every row that may count. `rows_exist`: the table's rows are the keys' own records
        (budget lines), never made or deleted here."""
        self.name = name
        self.model = model
        self.keys = keys
        self.sums = sums
        self.source = source
        self.count = count
        self.rows_exist = rows_exist

    def counted(self, **scope) -> dict[Key, Sums]:
        """The sums of the source rows in scope (all of them without a scope), by key."""
        queryset = self.source().filter(**scope) if scope else self.source()
        return {key: self._clean(sums) for key, sums in self.count(queryset)}

    @contextmanager
    def change(self, **scope):
        """Move the table by what the rows in scope add up to after the block, less what they
        added up to before it. Call inside the transaction that changes them."""
        before = self.counted(**scope)
        yield
        self.add(difference(self.counted(**scope), before))

    def count_in(self, **scope) -> None:
        """Add the rows in scope, written without a service (a demo, an import, a test's data)
        and so never counted: what `change` does for rows that did not exist before."""
        self.add(self.counted(**scope))

    def add(self, amounts: dict[Key, Sums]) -> None:
        """Add sums to the rows of their keys (made when missing)."""
        for key, sums in amounts.items():
            sums = {field: value for field, value in sums.items() if value}
            if not sums:
                continue
            where = dict(zip(self.keys, key, strict=True))
            moved = {field: F(field) + value for field, value in sums.items()}
            if self.model.objects.filter(**where).update(**moved) or self.rows_exist:
                continue
            try:
                with transaction.atomic():
                    self.model.objects.create(**where, **sums)
            except IntegrityError:  # made by a transaction that committed meanwhile
                self.model.objects.filter(**where).update(**moved)

    def stored(self) -> dict[Key, Sums]:
        rows = self.model.objects.order_by().values_list(*self.keys, *self.sums)
        width = len(self.keys)
        return {
            tuple(row[:width]): self._clean(dict(zip(self.sums, row[width:], strict=True)))
            for row in rows.iterator(chunk_size=2000)
        }

    def differences(self) -> list[tuple[Key, Sums, Sums]]:
        """Each key whose stored sums are not what its rows add up to: (key, stored, counted)."""
        stored, counted = self.stored(), self.counted()
        found = []
        for key in sorted(stored.keys() | counted.keys(), key=_sortable):
            have = stored.get(key, self._zero())
            should = counted.get(key, self._zero())
            if have != should:
                found.append((key, have, should))
        return found

    def correct(self, differences: list[tuple[Key, Sums, Sums]]) -> None:
        """Set the sums of each differing key to what its rows add up to."""
        with transaction.atomic():
            if self.rows_exist:  # the keys are the rows' own primary keys
                self.model.objects.bulk_update(
                    [self.model(pk=key[0], **counted) for key, _stored, counted in differences],
                    self.sums,
                    batch_size=100,  # an UPDATE with a CASE per row: small batches are faster
                )
                return
            for start in range(0, len(differences), 500):
                batch = differences[start : start + 500]
                wrong = Q()
                for key, _stored, _counted in batch:
                    wrong |= Q(**dict(zip(self.keys, key, strict=True)))
                self.model.objects.filter(wrong).delete()
                self.model.objects.bulk_create(
                    [
                        self.model(**dict(zip(self.keys, key, strict=True)), **counted)
                        for key, _stored, counted in batch
                        if any(counted.values())
                    ]
                )

    def _zero(self) -> Sums:
        return dict.fromkeys(self.sums, 0)

    def _clean(self, sums: dict) -> Sums:
        """Sums as compared: missing or NULL is 0, amounts in øre."""
        return {
            field: (
                Decimal(sums.get(field) or 0).quantize(Decimal("0.01"))
                if isinstance(sums.get(field), Decimal | float)
                else int(sums.get(field) or 0)
            )
            for field in self.sums
        }


def difference(after: dict[Key, Sums], before: dict[Key, Sums]) -> dict[Key, Sums]:
    changed = {}
    for key in after.keys() | before.keys():
        now, then = after.get(key, {}), before.get(key, {})
        changed[key] = {
            field: (now.get(field) or 0) - (then.get(field) or 0) for field in now.keys() | then
        }
    return changed


def _sortable(key: Key) -> tuple:
    return tuple((value is None, str(value)) for value in key)


def every_tally() -> list[Tally]:
    """The tallies of every installed app (`TALLIES` in its `totals` module), in app order."""
    return [tally for module in _modules() for tally in module.TALLIES]


def _modules():
    return [
        import_module(f"{app.name}.totals")
        for app in apps.get_app_configs()
        if find_spec(f"{app.name}.totals") is not None
    ]


def recount(*, fix: bool = False) -> dict[str, list[tuple[Key, Sums, Sums]]]:
    """Count every tally from its rows: the differences found, by tally. With `fix`, each
    tally is corrected before the next is counted (the trips' totals add up their figures)."""
    found = {}
    for tally in every_tally():
        differences = tally.differences()
        if differences:
            found[tally.name] = differences
            if fix:
                tally.correct(differences)
    if fix:  # and what is derived but not summed (`REMAKE` in a `totals` module)
        for module in _modules():
            for remake in getattr(module, "REMAKE", []):
                remake()
    return found


class KeptFields:
    """A model mixin for a model some of whose fields are kept totals (`kept_fields`): saving
    an instance writes every other field, never those, so an instance read before a change
    of the totals cannot write the old figures back. Only a Tally changes them."""

    kept_fields: tuple[str, ...] = ()

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None and not self._state.adding:
            update_fields = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.kept_fields
            ]
        super().save(*args, update_fields=update_fields, **kwargs)


def drop_doubled_rows(totals, keys: list[str]) -> None:
    """For a migration that adds a unique constraint to a table of totals: rows of `totals`
    made twice for one key (a race before the constraint) are dropped, so that it can be
    made; `manage.py recount --fix`, a step of every upgrade, counts them again."""
    doubled = totals.values(*keys).annotate(rows=Count("pk")).filter(rows__gt=1).order_by()
    for key in doubled:
        key.pop("rows")
        totals.filter(**key).delete()
