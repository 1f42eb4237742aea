"""The quick select writes the same document as Django's select, only faster."""

from django import forms
from django.test.html import parse_html

from portal.forms import QuickSelect


def rendered(widget, value):
    field = forms.ChoiceField(
        choices=[
            ("a", "Aarhus & Co"),
            ("Former partner cities", [("x", "<script>"), ("y", "Ystad")]),
            ("", "---"),
        ],
        widget=widget(attrs={"class": "wide", "required": True, "disabled": False}),
    )
    form = type("Form", (forms.Form,), {"city": field})(initial={"city": value})
    return str(form["city"])


def test_the_quick_select_is_djangos_select_element_for_element():
    for value in ["a", "y", ""]:
        assert parse_html(rendered(QuickSelect, value)) == parse_html(rendered(forms.Select, value))
    quick = rendered(QuickSelect, "y")
    assert "&lt;script&gt;" in quick and "<script>" not in quick
    assert '<option value="y" selected>Ystad</option>' in quick
    assert "disabled" not in quick
