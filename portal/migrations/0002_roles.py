"""Create the portal's roles as groups, with the permissions each role needs.

Later apps add their own permissions to these groups in their own migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "School coordinator": [
        "partnerships.view_exchange",
        "partnerships.add_exchange",
        "partnerships.change_exchange",
    ],
    "Grant officer": [],
    "Committee secretary": [],
    "Administrator": [
        "auth.view_user", "auth.add_user", "auth.change_user",
        "auth.view_group",
        "portal.view_sitesettings", "portal.change_sitesettings",
        *[
            f"partnerships.{action}_{model}"
            for model in [
                "focusarea", "consortium", "partnercity", "citynetwork", "networkmembercity",
                "membership", "workinggroup", "charter", "charterattachment", "exchange",
            ]
            for action in ["view", "add", "change", "delete"]
        ],
        "partnerships.manage_all_exchanges",
    ],
}


def ensure_permissions(apps):
    # Permissions are normally made after all migrations; a data migration needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("partnerships", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
