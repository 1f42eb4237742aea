"""Municipalities: the service may host many. The data that exists becomes the first one,
described by the deployment's settings (name, languages, currency), and its staff are the
users who have a role or sign in to the admin."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify

import portal.models


def _country() -> str:
    """ISO 3166 alpha-2 of the country the settings name (OPEN_DATA_COUNTRY is alpha-3; else
    the default language's), Denmark where neither says."""
    from django_countries import countries

    from portal.catalogue import country

    alpha3 = country()
    return (countries.alpha2(alpha3) if alpha3 else "") or "DK"


def first_municipality(apps, schema_editor):
    Municipality = apps.get_model("portal", "Municipality")
    SiteSettings = apps.get_model("portal", "SiteSettings")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    site = SiteSettings.objects.filter(pk=1).first()
    name = site.municipality_name if site else "Kommune"
    languages = [code for code, _name in settings.LANGUAGES]
    municipality = Municipality.objects.create(
        pk=1,
        name=name,
        slug=slugify(name) or "kommune",
        languages=",".join(languages),
        default_language=settings.LANGUAGE_CODE,
        currency=settings.PORTAL_CURRENCY,
        country=_country(),
    )
    staff = User.objects.filter(models.Q(is_staff=True) | models.Q(groups__isnull=False))
    municipality.staff.set(staff.distinct())
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('portal_municipality', 'id'), 1)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0021_audit_staff_resources"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120, verbose_name="name")),
                ("slug", models.SlugField(help_text="Used in the addresses of the national comparison and in file names.", unique=True, verbose_name="short name")),
                ("languages", models.CharField(help_text="Codes of the shipped languages, comma-separated, e.g. da,en,de.", max_length=60, verbose_name="languages offered")),
                ("default_language", models.CharField(choices=portal.models._language_choices, max_length=8, verbose_name="default language")),
                ("currency", models.CharField(help_text="An ISO 4217 code, e.g. DKK or EUR.", max_length=3, verbose_name="currency")),
                ("country", models.CharField(default="DK", help_text="An ISO 3166 code, e.g. DK.", max_length=2, verbose_name="country")),
                ("region", models.CharField(blank=True, max_length=120, verbose_name="region")),
                ("open_data_contact", models.EmailField(blank=True, help_text="Named as the contact point of the municipality's datasets.", max_length=254, verbose_name="open data contact")),
                ("publishes_nationally", models.BooleanField(default=True, help_text="Its published trips and grant figures are compared with the others'.", verbose_name="in the national comparison")),
                ("staff", models.ManyToManyField(blank=True, help_text="Who may sign in to this municipality's staff pages and admin.", related_name="municipalities", to=settings.AUTH_USER_MODEL, verbose_name="staff")),
            ],
            options={"verbose_name": "municipality", "verbose_name_plural": "municipalities", "ordering": ["name"]},
        ),
        migrations.CreateModel(
            name="MunicipalityHost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("host", models.CharField(help_text="Without scheme or port, e.g. international.ballerup.dk.", max_length=253, unique=True, verbose_name="host name")),
                ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="hosts", to="portal.municipality")),
            ],
            options={"verbose_name": "host name", "verbose_name_plural": "host names", "ordering": ["host"]},
        ),
        migrations.CreateModel(
            name="Population",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("inhabitants", models.PositiveIntegerField(verbose_name="inhabitants")),
                ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="populations", to="portal.municipality")),
            ],
            options={
                "verbose_name": "population",
                "verbose_name_plural": "population",
                "ordering": ["municipality", "year"],
                "constraints": [
                    models.UniqueConstraint(fields=("municipality", "year"), name="population_once_per_year"),
                    models.CheckConstraint(condition=models.Q(("inhabitants__gt", 0)), name="population_positive"),
                ],
            },
        ),
        migrations.RunPython(first_municipality, migrations.RunPython.noop),
    ]
