"""Administrators keep the budget's institutions: the kinds of budget line, the follow-up's
rounds (records since 0006 and 0007)."""

from django.db import migrations

from portal.roles import grant_role_permissions, model_permissions


def forwards(apps, schema_editor):
    grant_role_permissions(
        apps, {"Administrator": model_permissions("budgets", ["linekind", "followupround"])}
    )


class Migration(migrations.Migration):
    dependencies = [("budgets", "0008_election_period_name")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
