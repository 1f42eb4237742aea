"""What the officers' decision forms ask of a case's scheme (grants.letters)."""

from django import template

from grants.letters import grounds_for

register = template.Library()


@register.filter
def decision_grounds(scheme) -> list[str]:
    """The keys of the rules a decision on this scheme's case may rest on."""
    return [ground.key for ground in grounds_for(scheme)]
