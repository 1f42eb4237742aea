"""What the active municipality offers: its languages, its default language, its currency,
its URLconf; and which municipality a host name belongs to.

Outside any municipality (a system check, the service's own pages) these answer with the
deployment's settings (`LANGUAGES`, `LANGUAGE_CODE`, `CURRENCY`), which also describe the
first municipality a migration made, so a deployment with one municipality reads the same
as before there were several.
"""

import threading
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.scoping import EVERY, active

# The service's own pages (the national comparison): not a municipality's.
SERVICE = "the service"
# How long a process trusts the host names it read (another process's change shows within it).
HOSTS_SECONDS = 60


def current():
    """The active municipality, or None (outside one, or across all of them)."""
    found = active()
    return None if found is None or found is EVERY else found


def offered_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages the active municipality offers, its default first."""
    found = current()
    if found is None:
        return list(settings.LANGUAGES)
    names = dict(settings.SHIPPED_LANGUAGES)
    return [(code, names.get(code, code)) for code in found.language_codes]


def offered_codes() -> list[str]:
    return [code for code, _name in offered_languages()]


def default_language() -> str:
    """The language of the active municipality's addresses without a prefix, and of the
    texts that fall back when a page's language has none."""
    found = current()
    return found.default_language if found is not None else settings.LANGUAGE_CODE


def currency() -> str:
    """The active municipality's currency (ISO 4217)."""
    found = current()
    return found.currency if found is not None else settings.PORTAL_CURRENCY


def urlconf_for(municipality) -> str:
    """The URLconf whose addresses carry no prefix in the municipality's default language.
    A resolver keeps the addresses it built per language, so each default language has its
    own (settings.MUNICIPALITY_URLCONF names them). Outside a municipality: the root."""
    if municipality is None or municipality is EVERY:
        return settings.ROOT_URLCONF
    return settings.MUNICIPALITY_URLCONF.format(language=municipality.default_language)


_lock = threading.Lock()
_hosts: dict = {"read_at": None, "by_host": {}, "only": None}


def _read_hosts() -> dict:
    from portal.models import Municipality, MunicipalityHost

    municipalities = {record.pk: record for record in Municipality.objects.all()}
    for record in municipalities.values():
        record.__dict__["primary_host"] = None  # Municipality.primary_host, known here
    by_host = {}
    rows = MunicipalityHost.objects.order_by("pk").values_list("host", "municipality")
    for host, municipality_id in rows:
        record = municipalities[municipality_id]
        by_host[host] = record
        if record.__dict__["primary_host"] is None:
            record.__dict__["primary_host"] = host
    only = next(iter(municipalities.values())) if len(municipalities) == 1 else None
    return {"read_at": time.monotonic(), "by_host": by_host, "only": only}


def forget_hosts(**kwargs) -> None:
    """The host names are read again at the next request (in this process)."""
    with _lock:
        _hosts["read_at"] = None


for _model in ("portal.Municipality", "portal.MunicipalityHost"):
    receiver(post_save, sender=_model)(forget_hosts)
    receiver(post_delete, sender=_model)(forget_hosts)


def for_host(host: str):
    """The municipality a request's host name (without port) selects, `SERVICE` for the
    service's own host names (settings.SERVICE_HOSTS), or None (a 404).

    A deployment with one municipality answers on every allowed host, as before there were
    several (its host names, if any, give its absolute links), except on the service's own
    host names once it has host names of its own."""
    host = host.lower().rstrip(".")
    with _lock:
        read_at = _hosts["read_at"]
        if read_at is None or time.monotonic() - read_at > HOSTS_SECONDS:
            _hosts.update(_read_hosts())
        by_host, only = _hosts["by_host"], _hosts["only"]
    if host in by_host:
        return by_host[host]
    service = host in settings.SERVICE_HOSTS
    if only is not None and not (service and by_host):
        return only
    return SERVICE if service else None


def staff_of_active(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of a user: one made inside a municipality belongs to it."""
    found = current()
    if created and not raw and found is not None:
        found.staff.add(instance)
