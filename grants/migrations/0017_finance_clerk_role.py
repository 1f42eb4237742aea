"""The finance clerk reads the payment list, and nothing else; grant officers and
administrators may read it too."""

from django.db import migrations

from portal.roles import grant_role_permissions

ROLE_PERMISSIONS = {
    "Finance clerk": ["grants.view_payment_list"],
    "Grant officer": ["grants.view_payment_list"],
    "Administrator": ["grants.view_payment_list"],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Finance clerk").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0016_payments_and_records"),
        ("portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
