from decimal import Decimal
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from django import template
from django.urls import translate_url
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext

from portal import addresses, countries, dates
from portal.choices import label_of
from portal.money import format_money, format_number
from portal.municipalities import default_language, offered_languages
from portal.pagecache import page_query

register = template.Library()


@register.filter
def money(value):
    """522000 -> '522.000 kr.' in Danish, 'DKK 522,000' in English for a Danish portal;
    '' for None."""
    if value is None or value == "":
        return ""
    return format_money(value)


@register.simple_tag
def address(name: str) -> str:
    """`{% url name %}` for a page without arguments, reversed once per language
    (portal.addresses): the layout of every page links to a dozen."""
    return addresses.address(name)


@register.filter(expects_localtime=True)
def short_date(value) -> str:
    """`{{ value|date:"SHORT_DATE_FORMAT" }}`, with the format read once per language
    (portal.dates)."""
    return dates.short_date(value)


@register.filter
def country_name(country) -> str:
    """A country's name in the page's language (a Country or its code), looked up once per
    language (portal.countries): django-countries builds it anew on every `.name`."""
    return countries.country_name(getattr(country, "code", country) or "")


@register.filter
def choice_label(obj, field_name: str):
    """`{{ exchange|choice_label:"kind" }}`: the label of a field's stored code, as
    `get_kind_display` gives it, but a code the choices no longer have shows as "other
    (code)" (portal.choices)."""
    return label_of(obj._meta.get_field(field_name), getattr(obj, field_name))


@register.filter
def number(value):
    """A whole number with the language's thousands separator; '' for None."""
    if value is None or value == "":
        return ""
    return format_number(value)


@register.filter
def quantity(value):
    """A quantity with as many decimals as it has (0.5, 0.25, 1), as the language writes
    it: full-time equivalents. '' for None."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    decimals = max(0, -value.normalize().as_tuple().exponent)
    return format_number(value, decimals)


@register.simple_tag(takes_context=True)
def page_in_language(context, language_code: str) -> str:
    """This page's address in another language, query string kept (on a public page, the
    parameters it reads: the same page from the cache for everyone has no one visitor's
    other parameters in its links).

    Computed while rendering, when the page's own language is active: Django's
    set_language cannot map /en/... back to the unprefixed Danish address itself.
    """
    request = context["request"]
    query = page_query(request)
    if query is None:
        address = request.get_full_path()
    else:
        address = escape_uri_path(request.path) + (f"?{query}" if query else "")
    return translate_url(address, language_code)


@register.filter
def subtract(value, other):
    if value is None or other is None:
        return None
    return value - other


@register.simple_tag
def staff_lang() -> str:
    """` lang="da"` on an element holding text staff wrote in the default language only, when
    the page is in another language (so screen readers pronounce it right); else nothing."""
    if (get_language() or default_language())[:2] == default_language()[:2]:
        return ""
    return format_html(' lang="{}"', default_language())


@register.simple_tag(name="offered_languages")
def offered_languages_tag() -> list[tuple[str, str]]:
    """(code, name) of the languages the active municipality offers (Django's
    get_available_languages gives the deployment's LANGUAGES, which another municipality's
    pages must not offer)."""
    return offered_languages()


@register.simple_tag
def default_language_name() -> str:
    return gettext(dict(offered_languages()).get(default_language(), default_language()))


@register.filter
def lang_attr(value) -> str:
    """` lang="da"` for a text shown in the default language on a page in another language
    (portal.i18n.DefaultLanguageText), else nothing."""
    language = getattr(value, "lang", None)
    return format_html(' lang="{}"', language) if language and value else ""


@register.simple_tag
def untranslated_note(value) -> str:
    """A note under a text staff have not written in the page's language, which is shown
    in the default language instead (portal.i18n.DefaultLanguageText); else nothing."""
    language = getattr(value, "lang", None)
    if not (language and value):
        return ""
    note = gettext(
        "This text has not been translated into this page's language; it is shown in %(language)s."
    ) % {"language": get_language_info(language)["name_translated"]}
    return format_html('<p class="untranslated">{}</p>', note)


@register.simple_tag
def sitemap_urls(urlset) -> str:
    """The <url> elements of a sitemap page (Django's sitemap.xml, written in Python: its
    template loops cost more than making the addresses, a thousand a page)."""
    parts = []
    for url in urlset:
        parts.append(f"<url><loc>{xml_escape(url['location'])}</loc>")
        if url["lastmod"]:
            parts.append(f"<lastmod>{url['lastmod'].strftime('%Y-%m-%d')}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{xml_escape(url['changefreq'])}</changefreq>")
        if url["priority"]:
            parts.append(f"<priority>{xml_escape(url['priority'])}</priority>")
        for alternate in url["alternates"]:
            parts.append(
                f'<xhtml:link rel="alternate" hreflang={quoteattr(alternate["lang_code"])} '
                f"href={quoteattr(alternate['location'])}/>"
            )
        parts.append("</url>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above


@register.filter
def rendered_rows(records, template_name: str):
    """`{% for record, row in page.object_list|rendered_rows:"app/includes/row.html" %}`:
    each record with its row, from the cache when it shows what it showed (portal.fragments)."""
    from portal.fragments import rendered_rows as rows

    return rows(records, template_name)
