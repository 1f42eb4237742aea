"""One way to write a date, a country, a link and a per-language column name.

The portal has a quick way for each (portal.dates, portal.countries, portal.addresses,
portal.i18n); a second way beside it is how pages drift apart and grow slow again. These
tests read every template and module of the project and name each place that writes one
of them another way.
"""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "node_modules", "tests", "migrations", "site", "docs"}

# Places this round's other changes own (their files were not to be edited alongside):
# file -> how many of its lines still write it the other way. The lead removes an entry
# when the branches are merged; a new place anywhere else fails at once.

TEMPLATE_RULES = [
    (
        re.compile(r"""\|\s*date\s*:\s*["']SHORT_DATE_FORMAT["']"""),
        "a short date: {{ value|short_date }} (portal.dates)",
    ),
    (
        re.compile(r"""\{%\s*url\s+(["'][^"']+["']|[\w.]+)\s*(as\s+\w+\s*)?%\}"""),
        "the address of a page without arguments: {% address 'name' %} (portal.addresses)",
    ),
    (
        re.compile(r"country\.name\b"),
        "a country's name: {{ country|country_name }} (portal.countries)",
    ),
]
PYTHON_RULES = [
    (
        re.compile(r"""["']SHORT_DATE_FORMAT["']"""),
        "a short date: portal.dates.short_date",
        {"portal/dates.py", "portal/templatetags/portal.py"},  # the rule itself, its docs
    ),
    (
        re.compile(r"country\.name\b|countries\.name\("),
        "a country's name: portal.countries.country_name",
        {"portal/countries.py", "portal/templatetags/portal.py"},
    ),
    (
        re.compile(
            r"_\{(code|lang|language|language_code|settings\.LANGUAGE_CODE)\}"
            r"|build_localized_fieldname"
        ),
        "a per-language column's name: portal.i18n.localized (or all_languages)",
        {"portal/i18n.py"},
    ),
]


def _files(suffix: str) -> list[Path]:
    return [
        path
        for path in ROOT.rglob(f"*{suffix}")
        if not SKIPPED & set(path.relative_to(ROOT).parts[:-1])
    ]


def _other_ways(files, rules) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in files:
        name = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, way, *allowed in rules:
                if pattern.search(line) and name not in (allowed[0] if allowed else ()):
                    found.setdefault(name, []).append(f"{name}:{number}: write {way}")
    return found


def _unexpected(found: dict[str, list[str]]) -> list[str]:
    return [line for lines in found.values() for line in lines]


def test_every_template_writes_dates_countries_and_links_one_way():
    templates = _files(".html")
    assert len(templates) > 50, "the templates were found"
    assert _unexpected(_other_ways(templates, TEMPLATE_RULES)) == []


def test_every_module_writes_dates_countries_and_per_language_names_one_way():
    modules = _files(".py")
    assert len(modules) > 50, "the modules were found"
    assert _unexpected(_other_ways(modules, PYTHON_RULES)) == []


def test_the_rules_catch_what_they_name(tmp_path):
    """The scans find each other way (so a passing scan means something)."""
    template = tmp_path / "page.html"
    template.write_text(
        "{% url 'home' %}\n{% url 'data' as data_url %}\n{{ day|date:'SHORT_DATE_FORMAT' }}\n"
        "{{ trip.destination_country.name }}\n{% url 'travel:trip' trip.slug %}\n"
        "{% address 'home' %}{{ day|short_date }}{{ city.country|country_name }}\n",
        encoding="utf-8",
    )
    module = tmp_path / "module.py"
    module.write_text(
        'a = f"name_{code}"\nb = f"{field}_{settings.LANGUAGE_CODE}"\n'
        'c = date_format(d, "SHORT_DATE_FORMAT")\nd = city.country.name\n'
        'e = localized("name", code)\nf = f"milestone_{round_.code}"\n',
        encoding="utf-8",
    )
    global ROOT
    root, ROOT = ROOT, tmp_path
    try:
        templates = _other_ways([template], TEMPLATE_RULES)["page.html"]
        modules = _other_ways([module], PYTHON_RULES)["module.py"]
    finally:
        ROOT = root
    assert [line.split(":")[1] for line in templates] == ["1", "2", "3", "4"]
    assert [line.split(":")[1] for line in modules] == ["1", "2", "3", "4"]


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_the_quick_ways_write_what_djangos_own_write(language):
    """`{% address %}`, `|short_date` and `|country_name` write exactly what `{% url %}`,
    `|date:"SHORT_DATE_FORMAT"` and a Country's `.name` write, in every language."""
    import datetime

    from django_countries.fields import Country

    context = Context({"day": datetime.date(2025, 3, 9), "country": Country("DE")})
    with translation.override(language):
        quick = Template(
            "{% load portal %}{% address 'travel:list' %}|{% address 'data' as data %}{{ data }}|"
            "{{ day|short_date }}|{{ country|country_name }}"
        ).render(context)
        own = Template(
            "{% url 'travel:list' %}|{% url 'data' as data %}{{ data }}|"
            '{{ day|date:"SHORT_DATE_FORMAT" }}|{{ country.name }}'
        ).render(context)
        assert quick == own
        assert quick.startswith(reverse("travel:list"))
