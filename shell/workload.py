"""The staff front page's counts: what waits for the signed-in person, each a link to the
work. Each app contributes its counts (portal.contributions, hook `workload`); each count is
one query, whatever the amount of data, and a person sees only those of the roles they hold."""

from django.utils import timezone

from portal.contributions import Count, contributions


def counts(user) -> list[Count]:
    today = timezone.localdate()
    return [count for counted in contributions("workload") for count in counted(user, today)]
