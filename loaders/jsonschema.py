"""The JSON Schema of a fact file, generated from the vocabulary.

Editors with yaml-language-server use it for completion and checks. The
shipped copy, ``schema/factfile.schema.json``, is regenerated with
``python -m loaders.jsonschema > schema/factfile.schema.json`` and a test
keeps it equal to what this module produces.

Editors parse YAML 1.2, where an unquoted ``2025`` is a number: date and
integer fields accept both spellings, as the loader does.
"""

from __future__ import annotations

import json
from typing import Any

from loaders.factbase import SLUG
from loaders.vocabulary import Property, Vocabulary, load_vocabulary

_DATE = {"type": ["string", "integer"], "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
         "description": "A partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD."}
_TEXT = {"type": "string", "minLength": 1}
_SLUG = {"type": "string", "pattern": SLUG.pattern}


def _property(spec: Property) -> dict[str, Any]:
    if spec.type == "integer":
        out: dict[str, Any] = {"type": ["integer", "string"], "pattern": r"^[+-]?\d+$"}
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
            if spec.minimum >= 0:  # the string spelling too
                out["pattern"] = r"^\+?\d+$"
    elif spec.type == "date":
        out = dict(_DATE)
    elif spec.type == "list":
        out = {"type": "array", "items": _TEXT}
    elif spec.type == "boolean":
        out = {"type": "boolean"}
    elif spec.values:
        out = {"enum": list(spec.values)}
    else:
        out = dict(_TEXT)
    if spec.description:
        out["description"] = spec.description
    return out


def fact_file_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one fact file."""
    entity_base = {
        "id": {**_SLUG, "description": "Unique slug of the entity."},
        "kind": {"enum": sorted(vocabulary.kinds), "description": "The entity's kind (schema/kinds.yaml)."},
        "name": _TEXT,
        "aliases": {"type": "array", "items": _TEXT},
        "description": _TEXT,
    }
    entity_rules = []
    for name, kind in sorted(vocabulary.kinds.items()):
        props = {**entity_base, **{k: _property(p) for k, p in kind.properties.items()}}
        entity_rules.append({
            "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
            "then": {"properties": props, "additionalProperties": False},
        })
    relation_base = {
        "id": _SLUG, "type": {"enum": sorted(vocabulary.relations)},
        "from": _TEXT, "to": _TEXT, "date": _DATE, "start": _DATE, "end": _DATE,
        "description": _TEXT,
        "cite": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/citation"}},
    }
    relation_rules = []
    for name, rtype in sorted(vocabulary.relations.items()):
        props = {**relation_base, **{k: _property(p) for k, p in rtype.properties.items()}}
        relation_rules.append({
            "if": {"properties": {"type": {"const": name}}, "required": ["type"]},
            "then": {"properties": props, "additionalProperties": False,
                     "description": f"{rtype.label}: {rtype.description}"},
        })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "actorgraph fact file",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "sources": {"type": "array", "items": {"$ref": "#/$defs/source"}},
            "entities": {"type": "array", "items": {"$ref": "#/$defs/entity"}},
            "relations": {"type": "array", "items": {"$ref": "#/$defs/relation"}},
        },
        "$defs": {
            "source": {
                "type": "object", "required": ["id"], "additionalProperties": False,
                "properties": {"id": _SLUG, "text": _TEXT, "title": _TEXT, "publisher": _TEXT,
                               "author": _TEXT, "published": _DATE, "url": _TEXT},
            },
            "citation": {
                "type": "object", "required": ["source"], "additionalProperties": False,
                "properties": {"source": _TEXT, "quote": _TEXT},
            },
            "entity": {"type": "object", "required": ["id", "kind", "name"],
                       "properties": entity_base, "allOf": entity_rules},
            "relation": {"type": "object", "required": ["type", "from", "to", "cite"],
                         "properties": relation_base, "allOf": relation_rules},
        },
    }


def render(vocabulary: Vocabulary) -> str:
    return json.dumps(fact_file_schema(vocabulary), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(load_vocabulary()), end="")
