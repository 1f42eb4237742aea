from django.core.paginator import Paginator
from django.db.models import QuerySet

PAGE_SIZE = 50


def stable_order(queryset):
    """The queryset ordered as before, then by primary key, so that no row can appear on two
    pages or on none when many rows share a sort value (a date, a cost)."""
    if not isinstance(queryset, QuerySet):
        return queryset
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if any(key in ("pk", "-pk", "id", "-id") for key in ordering if isinstance(key, str)):
        return queryset
    return queryset.order_by(*ordering, "pk")


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of a queryset; a wrong page number gives the nearest page."""
    return Paginator(stable_order(queryset), per_page).get_page(request.GET.get("page"))
