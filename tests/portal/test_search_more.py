"""Search finds travellers, networks, charters and grant schemes too, each result with a
snippet of the text where the words were found."""

import pytest
from django.urls import reverse

from portal.search import snippet
from tests.factories import (
    CharterFactory,
    GrantSchemeFactory,
    PersonFactory,
    TripFactory,
)

pytestmark = pytest.mark.django_db


def search(client, query: str) -> str:
    return client.get(reverse("search"), {"q": query}).content.decode()


def test_a_traveller_is_found_by_name_but_not_one_only_on_a_draft(client):
    TripFactory(travellers=[PersonFactory(name="Mette Holm")])
    TripFactory(state="draft", published_at=None, travellers=[PersonFactory(name="Mette Skjult")])
    page = search(client, "Mette")
    assert "Mette Holm" in page and "Mette Skjult" not in page


def test_networks_charters_and_schemes_are_found_with_a_snippet(client):
    charter = CharterFactory(
        title="Integrating Cities Charter",
        summary_da="Vi forpligter os til lige adgang for nytilkomne borgere.",
    )
    GrantSchemeFactory(text_da="Tilskud til unge, der rejser til en venskabsby for at lære.")
    page = search(client, "venskabsby")
    assert "<mark>venskabsby</mark>" in page
    page = search(client, "nytilkomne")
    assert charter.title in page and "<mark>nytilkomne</mark>" in page
    page = search(client, charter.network.name.split()[0])
    assert charter.network.get_absolute_url() in page


def test_a_snippet_escapes_the_text_and_marks_only_the_words():
    marked = snippet(["<b>Skoler</b> & partnerskoler i Wuxi"], "skoler")
    assert (
        marked == "&lt;b&gt;<mark>Skoler</mark>&lt;/b&gt; &amp; partner<mark>skoler</mark> i Wuxi"
    )
    long = "a " * 200 + "Wuxi " + "b " * 200
    assert snippet([long], "wuxi").startswith("… ") and "<mark>Wuxi</mark>" in snippet(
        [long], "wuxi"
    )
