from math import ceil

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

PAGE_SIZE = 50

# The query parameter that names the page of a list.
PAGE_PARAMETER = "page"


def stable_order(queryset):
    """The queryset ordered as before, then by primary key, so that no row can appear on two
    pages or on none when many rows share a sort value (a date, a cost). The key runs the
    way the last order does (descending after a descending order), so one index on
    (value, id) serves a list sorted either way."""
    if not isinstance(queryset, QuerySet):
        return queryset
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if any(key in ("pk", "-pk", "id", "-id") for key in ordering if isinstance(key, str)):
        return queryset
    last = ordering[-1] if ordering else ""
    if isinstance(last, str):
        descending = last.startswith("-")
    else:  # an expression: OrderBy says its direction, a bare F() is ascending
        descending = getattr(last, "descending", False)
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


class BoundedPaginator(Paginator):
    """Pages no deeper than LIST_DEPTH_ROWS rows: a deep page costs the database what the
    first does plus the rows it skips, so past that depth the lists offer their filters
    and the whole download instead (README, "Open data and the API"). `count`: the number
    of rows when it is known without counting them (from kept totals)."""

    def __init__(self, object_list, per_page, *args, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.count = count  # instead of the cached property's COUNT(*)

    @cached_property
    def num_pages(self) -> int:
        shown = min(self.count, settings.LIST_DEPTH_ROWS)
        if shown == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, ceil(max(shown - self.orphans, 0) / self.per_page))

    @property
    def shown(self) -> int:
        """The rows the pages show, at most LIST_DEPTH_ROWS (rounded up to a whole page)."""
        return min(self.count, self.num_pages * self.per_page)

    @property
    def bounded(self) -> bool:
        """Whether there are rows past the deepest page."""
        return self.count > self.shown

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list[bottom : min(top, self.shown)]
        if bottom and _rows_of_a_model(self.object_list):
            # A deeper page finds its rows' keys first (the rows it skips are read from the
            # order's index, without the joins of the rows it shows), then reads those
            # rows: one query still (docs/decisions: a deep page costs what the first costs).
            rows = self.object_list.filter(pk__in=rows.values("pk"))
        return self._get_page(rows, number, self)


def _rows_of_a_model(rows) -> bool:
    """Whether the rows are a model's, each picked by its key without changing what it
    says: not values or groups, not a union, nothing computed over other rows (a window)."""
    if not isinstance(rows, QuerySet):
        return False
    query = rows.query
    windows = (
        getattr(value, "contains_over_clause", False) for value in query.annotations.values()
    )
    return not (query.values_select or query.group_by or query.combinator or any(windows))


def paginate(request, queryset, per_page: int | None = None, count: int | None = None):
    """The requested page of a queryset; a wrong page number (or one deeper than the bound)
    gives the nearest page. `count`: the number of rows when it is known without counting
    them (from kept totals); else a list that fits on its first page is not counted."""
    per_page, rows = per_page or PAGE_SIZE, stable_order(queryset)
    number = request.GET.get(PAGE_PARAMETER)
    if count is None and number in (None, "", "1") and isinstance(rows, QuerySet):
        # The first page reads one row more than it shows: a list that fits on it (the
        # networks, the charters: a municipality's few) is counted by that, without a
        # COUNT(*); a longer one is counted when its number of pages is asked.
        first = list(rows[: per_page + 1])
        fits = len(first) <= per_page
        paginator = BoundedPaginator(rows, per_page, count=len(first) if fits else None)
        return paginator._get_page(first[:per_page], 1, paginator)
    paginator = BoundedPaginator(rows, per_page, count=count)
    return paginator.get_page(number)
