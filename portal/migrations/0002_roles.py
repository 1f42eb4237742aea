"""Create the portal's roles as groups, with the permissions each role needs.

Later apps add their own permissions to these groups in their own migrations.
"""

from django.db import migrations

from portal.roles import grant_role_permissions

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


def create_roles(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


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
