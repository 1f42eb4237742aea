from django.utils.functional import SimpleLazyObject

from portal.models import SiteSettings
from portal.money import currency, currency_symbol
from portal.permissions import is_staff_member


def site(request):
    user = getattr(request, "user", None)
    return {
        "site": SimpleLazyObject(SiteSettings.current),
        "currency": currency(),
        "currency_symbol": SimpleLazyObject(currency_symbol),
        "is_staff_member": SimpleLazyObject(lambda: user is not None and is_staff_member(user)),
    }
