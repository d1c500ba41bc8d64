"""Post-processing of the OpenAPI schema, after drf-spectacular's own."""

import re

# drf-standardized-errors names an error on a list's item `events.INDEX` in
# the schema, while the answer names the item: `events.4`.
_INDEX = ".INDEX"


def list_item_error_attrs(result, generator, request, public):
    """Describe a list item's error `attr` as the pattern it follows
    (`^events\\.[0-9]+$`), so an answer naming item 4 is within the schema;
    and drop the discriminator of any error union that holds one, since no
    fixed mapping can name every item."""
    schemas = result.get("components", {}).get("schemas", {})
    for schema in schemas.values():
        attr = schema.get("properties", {}).get("attr", {})
        names = attr.get("enum") or []
        if len(names) == 1 and names[0].endswith(_INDEX):
            field = names[0][: -len(_INDEX)]
            schema["properties"]["attr"] = {
                "type": "string",
                "pattern": rf"^{re.escape(field)}\.[0-9]+$",
                "description": f"`{field}.N`: the item at position N, from 0.",
            }
    for schema in schemas.values():
        mapping = schema.get("discriminator", {}).get("mapping", {})
        if any(name.endswith(_INDEX) for name in mapping):
            del schema["discriminator"]
    return result
