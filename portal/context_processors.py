from django.utils.functional import SimpleLazyObject

from portal.models import SiteSettings
from portal.permissions import is_staff_member


def site(request):
    user = getattr(request, "user", None)
    return {
        "site": SimpleLazyObject(SiteSettings.current),
        "is_staff_member": SimpleLazyObject(lambda: user is not None and is_staff_member(user)),
    }
