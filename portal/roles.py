"""The roles of the portal. Each is a Django group, made by a data migration.

What a role may do is expressed as Django permissions on the group, so an
administrator can see and adjust it in the admin; the checks themselves live in
each app's `permissions.py`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name in the database.
    SCHOOL_COORDINATOR = "School coordinator", _("School coordinator")
    GRANT_OFFICER = "Grant officer", _("Grant officer")
    COMMITTEE_SECRETARY = "Committee secretary", _("Committee secretary")
    ADMINISTRATOR = "Administrator", _("Administrator")
    FINANCE_CLERK = "Finance clerk", _("Finance clerk")


def role_label(group_name: str) -> str:
    """A role's name in the reader's language (the group's own name for other groups)."""
    try:
        return str(Role(group_name).label)
    except ValueError:
        return group_name


def grant_role_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Give each role group the listed permissions ("app_label.codename").

    For data migrations: each app's migration adds what its roles need. Uses
    the migration's historical `apps`; makes missing permissions first, since
    Django otherwise creates them only after all migrations have run.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def model_permissions(
    app_label: str, models: list[str], actions=("view", "add", "change", "delete")
):
    return [f"{app_label}.{action}_{model}" for model in models for action in actions]


# The data migrations that give the roles their permissions, in order.
ROLE_MIGRATIONS = [
    "portal.migrations.0002_roles",
    "budgets.migrations.0002_roles",
    "travel.migrations.0002_roles",
    "grants.migrations.0002_roles",
    "portal.migrations.0007_administrator_without_users",
    "portal.migrations.0011_outbox_for_administrators",
    "portal.migrations.0012_administrators_lift_lockouts",
    "budgets.migrations.0009_administrators_keep_institutions",
    "grants.migrations.0017_finance_clerk_role",
    "grants.migrations.0022_letter_templates_for_administrators",
    "partnerships.migrations.0007_administrators_keep_schools",
    "budgets.migrations.0017_administrators_keep_staff_resources",
]


def ensure_roles() -> None:
    """Make the role groups and their permissions again, with the migrations' own code, when
    they are missing (a database emptied by a test's flush, say)."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=Role.values).count() == len(Role.values):
        return
    for name in ROLE_MIGRATIONS:
        importlib.import_module(name).Migration.operations[0].code(apps, None)
