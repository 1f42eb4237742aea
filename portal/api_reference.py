"""The API's documentation page, drawn from the OpenAPI document drf-spectacular generates.

Parameters and fields come from the document (filter labels in the reader's
language); what each endpoint is for comes from the datasets, in both languages.
"""

from functools import lru_cache

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.generators import SchemaGenerator

from portal import opendata

DETAIL = _("One item of the list, by its identifier, with everything the list holds and more.")
EXCHANGES = _(
    "Exchanges and activities of schools and units with partner cities, in aggregate per year, "
    "kind and partner city: how many and how many took part. Never a name."
)


def openapi_document() -> dict:
    return _document(get_language() or "da")


@lru_cache(maxsize=4)
def _document(language: str) -> dict:
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
    return {
        "name": parameter["name"],
        "location": parameter["in"],
        "type": _type_of(schema),
        "values": schema.get("enum") or schema.get("items", {}).get("enum") or [],
        "description": parameter.get("description", ""),
        "required": parameter.get("required", False),
    }


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
            "text": prop.get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


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
