import django.contrib.postgres.search
from django.db import migrations

# A GIN index exists on PostgreSQL only (SQLite searches the columns, see portal/search.py),
# so it is made here rather than in Meta.indexes.
INDEX = "travel_trip_search_document_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {INDEX} ON travel_trip USING gin (search_document)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("travel", "0008_trip_officials_trip_politicians_trip_total_actual_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="trip",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
