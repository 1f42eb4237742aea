from django.db import migrations, models


def fill_mailboxes(apps, schema_editor):
    """Every application's mailbox key, from its address, by the one normalisation."""
    from portal.mailboxes import normalise_email

    GrantApplication = apps.get_model("grants", "GrantApplication")
    for application in GrantApplication.objects.only("pk", "applicant_email").iterator():
        GrantApplication.objects.filter(pk=application.pk).update(
            applicant_mailbox=normalise_email(application.applicant_email)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0010_grant_total_by_year"),
    ]

    operations = [
        migrations.AddField(
            model_name="grantapplication",
            name="applicant_mailbox",
            field=models.CharField(db_index=True, default="", editable=False, max_length=254),
            preserve_default=False,
        ),
        migrations.RunPython(fill_mailboxes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="applicationevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("move", "State changed"),
                    ("proposed", "Approval proposed"),
                    ("withdrawn", "Proposal withdrawn"),
                    ("conflict", "Conflict of interest declared"),
                    ("conflict_lifted", "Conflict of interest lifted by an administrator"),
                ],
                default="move",
                max_length=20,
            ),
        ),
    ]
