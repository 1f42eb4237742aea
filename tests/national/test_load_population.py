"""`manage.py load_population FILE`: the whole file is checked first, each problem named by
its line, nothing written on a problem; then each municipality's year is added or updated.
A problem is a CommandError: manage.py prints its message, without a traceback, and exits 1."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.models import Municipality, Population

pytestmark = pytest.mark.django_db


@pytest.fixture
def byen():
    return Municipality.objects.create(
        name="Byen", slug="byen", languages="da", default_language="da", currency="DKK"
    )


def write(tmp_path, text: str, encoding="utf-8"):
    path = tmp_path / "population.csv"
    path.write_bytes(text.encode(encoding))
    return path


def populations():
    return sorted(Population.objects.values_list("municipality__slug", "year", "inhabitants"))


def test_adds_and_updates(tmp_path, byen, capsys):
    Population.objects.create(municipality=byen, year=2024, inhabitants=1000)
    path = write(
        tmp_path,
        "\ufeffmunicipality;year;inhabitants\nkommune;2025;50000\nbyen;2024;1200\n\nbyen;2025;1300\n",
    )
    call_command("load_population", str(path))
    assert populations() == [
        ("byen", 2024, 1200),
        ("byen", 2025, 1300),
        ("kommune", 2025, 50000),
    ]
    assert capsys.readouterr().out.strip() == "2 added, 1 updated."


def test_every_problem_named_by_its_line_and_nothing_written(tmp_path, byen):
    path = write(
        tmp_path,
        "municipality,year,inhabitants\n"
        "kommune,2025,50000\n"
        "nowhere,2025,10\n"
        "byen,20x5,10\n"
        "byen,2025,-3\n"
        "byen,2025\n"
        "kommune,2025,50001\n",
    )
    with pytest.raises(CommandError) as refused:
        call_command("load_population", str(path))
    message = str(refused.value)
    assert "nothing was loaded" in message
    for line in ("line 3: no municipality", "line 4: the year", "line 5: the inhabitants",
                 "line 6: 2 values", "line 7: kommune 2025 is also on line 2"):  # fmt: skip
        assert line in message
    assert populations() == []


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "the header municipality,year,inhabitants is missing"),
        ("slug,year,people\nbyen,2025,10\n", "the header must be"),
        ("municipality,year,inhabitants\n", "no lines after the header"),
    ],
)
def test_a_file_without_its_header_or_lines(tmp_path, byen, text, says):
    with pytest.raises(CommandError, match=says):
        call_command("load_population", str(write(tmp_path, text)))
    assert populations() == []


def test_not_utf8_or_missing(tmp_path, byen):
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command(
            "load_population",
            str(write(tmp_path, "municipality,year,inhabitants\nbyen,2025,1\nø", "latin-1")),
        )
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_population", str(tmp_path / "missing.csv"))
