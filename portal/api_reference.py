"""The API's documentation page, drawn from the OpenAPI document drf-spectacular generates.

Parameters and fields come from the document (filter labels in the reader's
language); what each endpoint is for comes from the datasets, in both languages.
"""

import re
from functools import lru_cache

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator

from portal import opendata
from portal.municipalities import currency, default_language, offered_languages

DETAIL = _("One item of the list, by its identifier, with everything the list holds and more.")
EXCHANGES = _(
    "Exchanges and activities of schools and units with partner cities, in aggregate per year, "
    "kind and partner city: how many and how many took part. Never a name."
)


# DRF's own English help for its paging parameters, said in the reader's language.
PARAMETERS = {
    "page": _("The page of the list, from 1."),
    "page_size": _("Rows per page, from 1 to 500; 50 when not given."),
}
# Parameters and fields whose filter or serializer gives no help text, by name.
UNDESCRIBED_PARAMETERS = {
    "slug": _("The item's identifier, as in its page's address."),
    "year": _("The year."),
    "partner_city": _("A partner city, by its identifier."),
    "person": _("A traveller, by their identifier."),
}
SMALL_GROUP = _("null where the group is too small to count its people (suppressed).")
FIELDS = {
    "url": _("The address of the item's page on the portal."),
    "slug": UNDESCRIBED_PARAMETERS["slug"],
    "year": _("The year."),
    "kind": _("The kind, as a code; the parameter of the same name lists the codes."),
    "activities": _("How many exchanges and activities."),
    "participants": SMALL_GROUP,
    "pupils": SMALL_GROUP,
    "teachers": SMALL_GROUP,
    "staff": SMALL_GROUP,
    "others": SMALL_GROUP,
    "published_at": _("When it was published (date and time)."),
    "membership": _("The municipality's own membership of the network, or null."),
    "report": _("The report the committee approved, or null before that."),
}
ANY = _("Empty: any.")
ORDERS = {"order"}  # left empty, an order is the list's own, not "any"
# drf-spectacular's Markdown list of an enum's values in a description: "* `code` - Label".
CHOICE_LINE = re.compile(r"^\* `([^`]*)` - (.*)$")


def openapi_document() -> dict:
    # Its words name the currency and the languages: a change of those settings (a test's)
    # is another document.
    return _document(
        get_language() or "da",
        currency(),
        default_language(),
        tuple(code for code, _name in offered_languages()),
    )


@lru_cache(maxsize=4)
def _document(language: str, *settings_read) -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def endpoints() -> list[dict]:
    document = openapi_document()
    by_path = {reverse(dataset.api): dataset for dataset in opendata.datasets() if dataset.api}
    components = document.get("components", {}).get("schemas", {})
    rows = []
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        dataset = by_path.get(path)
        if dataset is not None:
            anchor, title, description = dataset.slug, dataset.title, dataset.description
        elif path == reverse("api:exchange-statistics-list"):
            anchor, title, description = "exchanges", _("Exchanges in aggregate"), EXCHANGES
        else:
            anchor = path.strip("/").replace("/", "-").replace("{", "").replace("}", "")
            title, description = None, DETAIL
        rows.append(
            {
                "path": path,
                "anchor": anchor,
                "title": title,
                "description": description,
                "parameters": [_parameter(p) for p in operation.get("parameters", [])],
                "fields": _fields(operation, components),
            }
        )
    return rows


def _parameter(parameter: dict) -> dict:
    schema = parameter.get("schema", {})
    schema = schema.get("anyOf", [schema])[0]  # a filter may also be left empty
    codes = schema.get("enum") or schema.get("items", {}).get("enum") or []
    description, labels = _without_choices(parameter.get("description", ""))
    name = parameter["name"]
    return {
        "name": name,
        "location": parameter["in"],
        "type": _type_of(schema),
        # Each code with its words; the empty code (a form's "any") said in words.
        "values": [(code, labels.get(code, "")) for code in codes if code != ""],
        "any": "" in codes and name not in ORDERS,
        "description": PARAMETERS.get(name) or description or UNDESCRIBED_PARAMETERS.get(name, ""),
        "required": parameter.get("required", False),
    }


def _without_choices(description: str) -> tuple[str, dict]:
    """The description without drf-spectacular's Markdown list of choices, and the choices'
    words by code."""
    text, labels = [], {}
    for line in description.splitlines():
        if match := CHOICE_LINE.match(line.strip()):
            labels[match.group(1)] = match.group(2)
        else:
            text.append(line)
    return " ".join(line.strip() for line in text if line.strip()), labels


def _fields(operation: dict, components: dict) -> list[dict]:
    """The fields of one item of the response (the items of `results` for a list)."""
    content = operation["responses"].get("200", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    schema = _resolve(schema, components)
    if "results" in schema.get("properties", {}):
        schema = _resolve(schema["properties"]["results"].get("items", {}), components)
    if schema.get("type") == "array":
        schema = _resolve(schema.get("items", {}), components)
    return [
        {
            "name": name,
            "type": _type_of(_resolve(prop, components)),
            "text": _without_choices(prop.get("description", ""))[0] or FIELDS.get(name, ""),
            "items": _item_fields(prop, components),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _item_fields(prop: dict, components: dict) -> list[str]:
    """For a list of objects (a budget year's `lines`): the fields of each object."""
    if _resolve(prop, components).get("type") != "array":
        return []
    items = _resolve(prop.get("items", {}), components)
    return list(items.get("properties", {}))


def _resolve(schema: dict, components: dict) -> dict:
    if "$ref" in schema:
        return components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def _type_of(schema: dict) -> str:
    kind = schema.get("type", "object")
    if isinstance(kind, list):  # OpenAPI 3.1: ["string", "null"]
        kind = "/".join(kind)
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    if schema.get("enum"):
        kind = "enum"
    return kind
