"""What the roles may do with budgets and the follow-up."""

from django.db import migrations

from portal.roles import grant_role_permissions, model_permissions

ROLE_PERMISSIONS = {
    "Committee secretary": [
        *model_permissions("budgets", ["initiative", "milestone"], ("view", "add", "change")),
        "budgets.view_budgetline",
    ],
    "Administrator": [
        *model_permissions(
            "budgets", ["committee", "electionperiod", "budgetyear", "budgetline", "initiative",
                        "milestone"]
        ),
        # Commitments are booked and reversed through the service, never edited.
        "budgets.view_commitment",
        "budgets.add_commitment",
        "portal.view_auditentry",
    ],
}


def forwards(apps, schema_editor):
    grant_role_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0001_initial"),
        ("portal", "0003_auditentry"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
