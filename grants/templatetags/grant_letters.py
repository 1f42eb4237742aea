"""What the officers' decision forms ask of a case's scheme (grants.letters)."""

from django import template

from grants.letters import GROUNDS, grounds_for

register = template.Library()


@register.filter
def decision_grounds(scheme) -> list[str]:
    """The keys of the rules a decision on this scheme's case may rest on."""
    return [ground.key for ground in grounds_for(scheme)]


@register.filter
def rule_labels(keys) -> str:
    """Chosen rules (their keys) as an officer reads them: "Who may apply, …"."""
    return ", ".join(str(ground.label) for ground in GROUNDS if ground.key in (keys or []))
