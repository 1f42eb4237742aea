"""Mails written before the outbox kept private links out of its bodies: their links are
taken out (the worker puts them back into a mail still to be sent), so that no staff view
or database read of the outbox finds a link that acts as the applicant."""

import re

from django.db import migrations

PRIVATE_LINK = "[[private-link]]"  # portal.outbox.PRIVATE_LINK, as it was when written


def take_out_links(apps, schema_editor):
    OutboxMail = apps.get_model("portal", "OutboxMail")
    GrantApplication = apps.get_model("grants", "GrantApplication")
    mails = OutboxMail.objects.filter(kind__startswith="grants.", link="").exclude(
        kind__startswith="grants.officer."
    )
    for mail in mails.iterator():
        token = (
            GrantApplication.objects.filter(pk=mail.attach_arg or None)
            .values_list("token", flat=True)
            .first()
        )
        if not token or token not in mail.body:
            continue
        mail.body = re.sub(r"\S*" + re.escape(token) + r"\S*", PRIVATE_LINK, mail.body)
        mail.link, mail.link_arg = "grants.case_link", mail.attach_arg
        mail.save(update_fields=["body", "link", "link_arg"])


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0012_event_client_address"),
        ("portal", "0017_outbox_private_link_and_sending"),
    ]

    operations = [migrations.RunPython(take_out_links, migrations.RunPython.noop)]
