import django.contrib.postgres.search
from django.db import migrations

# A GIN index exists on PostgreSQL only (SQLite searches the columns, see portal/search.py),
# so it is made here rather than in Meta.indexes.
INDEX = "partnerships_partnercity_search_document_gin"


def index_every_city(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from partnerships.totals import PARTNER_CITY_TEXT
    from portal import search

    PartnerCity = apps.get_model("partnerships", "PartnerCity")
    PartnerCity.objects.using(schema_editor.connection.alias).update(
        search_document=search.vector(PARTNER_CITY_TEXT)
    )
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON partnerships_partnercity USING gin (search_document)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0003_alter_focusarea_options_alter_workinggroup_options_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnercity",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(index_every_city, drop_index),
    ]
