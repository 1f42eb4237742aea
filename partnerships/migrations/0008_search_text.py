from django.db import migrations, models

# On PostgreSQL a trigram index answers search's LIKE on the stored search text
# (portal.search); SQLite reads the column. `manage.py recount --fix`, a step of every
# upgrade, fills the text in.
INDEX = "partnerships_partnercity_search_text_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(f"CREATE INDEX {INDEX} ON partnerships_partnercity USING gin (search_text gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0007_administrators_keep_schools"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnercity",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(create_index, drop_index),
    ]
