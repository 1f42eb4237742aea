"""Grant officers decide applications; administrators see them."""

from django.db import migrations

from portal.roles import grant_role_permissions

ROLE_PERMISSIONS = {
    "Grant officer": [
        "grants.view_grantapplication",
        "grants.change_grantapplication",
        "grants.decide_grantapplication",
        "budgets.view_budgetline",
    ],
    "Administrator": [
        "grants.view_grantapplication",
        "grants.view_grantscheme", "grants.add_grantscheme", "grants.change_grantscheme",
    ],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0001_initial"),
        ("budgets", "0001_initial"),
        ("portal", "0005_sitesettings_grant_four_eyes_amount"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
