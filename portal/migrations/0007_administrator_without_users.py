"""Users, passwords and roles are managed by superusers only: the Administrator role loses
its rights on user accounts (with them it could make itself superuser or take over another
officer's account) and gains the right to link officers to a grant case."""

from django.db import migrations

from portal.roles import grant_role_permissions

REMOVED = ["add_user", "change_user", "delete_user", "view_user", "view_group", "change_group"]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrator = Group.objects.filter(name="Administrator").first()
    if administrator is not None:
        administrator.permissions.remove(
            *Permission.objects.filter(content_type__app_label="auth", codename__in=REMOVED)
        )
    grant_role_permissions(apps, {"Administrator": ["grants.change_grantapplication"]})


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_auditentry_amount"),
        ("grants", "0003_four_eyes_history"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
