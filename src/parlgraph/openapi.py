"""The OpenAPI 3.1 document of the stored-query API, generated from the queries' `#+` headers.

The headers already say what each query does and what its parameters are (type, default,
examples), so the document is derived, never written by hand, and cannot drift from the queries.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

from .query import StoredQuery

# Parameters of every operation, kept apart from the queries' own (checked in api.routes).
PAGING = ("page", "per_page", "format")
RESULT_FORMATS = {
    "json": "application/json",
    "sparql-json": "application/sparql-results+json",
    "csv": "text/csv",
    "html": "text/html",
}
_SCHEMAS = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "date": {"type": "string", "format": "date"},
    "iri": {"type": "string", "format": "iri"},
}


def _parameter(query: StoredQuery, name: str) -> dict[str, Any]:
    parameter = query.parameters[name]
    schema: dict[str, Any] = dict(_SCHEMAS[parameter.type])
    if parameter.default is not None:
        schema["default"] = (
            int(parameter.default) if parameter.type == "integer" else parameter.default
        )
    spec: dict[str, Any] = {
        "name": name,
        "in": "query",
        "required": parameter.required,
        "description": parameter.description or f"{parameter.type} value bound to ?{name}",
        "schema": schema,
    }
    examples: dict[str, Any] = {}
    if parameter.default is not None:
        examples["default"] = {"summary": "the default", "value": parameter.default}
    for index, example in enumerate(query.examples, start=1):
        params = example.get("params") or {}
        if name in params:
            examples[f"example{index}"] = {
                "summary": str(example.get("description", "")),
                "value": str(params[name]),
            }
    if examples:
        spec["examples"] = examples
    return spec


def _operation(query: StoredQuery) -> dict[str, Any]:
    ok_content = {
        media: {"schema": {"$ref": "#/components/schemas/SparqlResults"}}
        for media in ("application/json", "application/sparql-results+json")
    }
    ok_content["text/csv"] = {"schema": {"type": "string"}}
    ok_content["text/html"] = {"schema": {"type": "string"}}
    return {
        "operationId": query.name.replace("-", "_"),
        "summary": query.title,
        "description": query.description,
        "tags": list(query.tags),
        "parameters": [_parameter(query, name) for name in query.parameters]
        + [{"$ref": f"#/components/parameters/{name}"} for name in PAGING],
        "responses": {
            "200": {
                "description": "One page of rows, in SPARQL query results form.",
                "headers": {
                    "Link": {"$ref": "#/components/headers/Link"},
                    "X-Total-Count": {"$ref": "#/components/headers/X-Total-Count"},
                },
                "content": ok_content,
            },
            "400": {"$ref": "#/components/responses/BadRequest"},
            "406": {"$ref": "#/components/responses/NotAcceptable"},
        },
    }


def document(
    queries: dict[str, StoredQuery], site: str, page_size: int, max_page_size: int
) -> dict[str, Any]:
    """The OpenAPI 3.1 document for GET /api/{name} of every stored query."""
    error = {"$ref": "#/components/schemas/Error"}
    paths: dict[str, Any] = {
        f"/api/{name}": {"get": _operation(query)} for name, query in sorted(queries.items())
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "parlgraph stored-query API",
            "version": metadata.version("parlgraph"),
            "description": (
                "Each stored SPARQL query of parlgraph as a GET operation. Parameters are bound "
                "as values (SPARQL substitution), never pasted into the query text. Results are "
                "paged; the Link header (RFC 8288) gives first, prev, next and last."
            ),
            "license": {"name": "CC BY 4.0", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": site.rstrip("/")}],
        "paths": paths,
        "components": {
            "parameters": {
                "page": {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "description": "Page number, from 1.",
                    "schema": {"type": "integer", "minimum": 1, "default": 1},
                },
                "per_page": {
                    "name": "per_page",
                    "in": "query",
                    "required": False,
                    "description": "Rows per page.",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": max_page_size,
                        "default": page_size,
                    },
                },
                "format": {
                    "name": "format",
                    "in": "query",
                    "required": False,
                    "description": "Result format; overrides the Accept header.",
                    "schema": {"type": "string", "enum": sorted(RESULT_FORMATS)},
                },
            },
            "headers": {
                "Link": {
                    "description": "RFC 8288 links to the first, prev, next and last pages.",
                    "schema": {"type": "string"},
                },
                "X-Total-Count": {
                    "description": "Number of rows of the whole result, when counted.",
                    "schema": {"type": "integer"},
                },
            },
            "responses": {
                "BadRequest": {
                    "description": "A parameter is unknown, missing or malformed; named in error.",
                    "content": {"application/json": {"schema": error}},
                },
                "NotAcceptable": {
                    "description": "No result format matches the Accept header.",
                    "content": {"application/json": {"schema": error}},
                },
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["ok", "error", "status"],
                    "properties": {
                        "ok": {"const": False},
                        "error": {"type": "string"},
                        "status": {"type": "integer"},
                    },
                },
                "SparqlResults": {
                    "type": "object",
                    "description": "SPARQL 1.1 Query Results JSON Format.",
                    "required": ["head", "results"],
                    "properties": {
                        "head": {
                            "type": "object",
                            "properties": {"vars": {"type": "array", "items": {"type": "string"}}},
                        },
                        "results": {
                            "type": "object",
                            "properties": {
                                "bindings": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "additionalProperties": {
                                            "$ref": "#/components/schemas/RdfTerm"
                                        },
                                    },
                                }
                            },
                        },
                    },
                },
                "RdfTerm": {
                    "type": "object",
                    "required": ["type", "value"],
                    "properties": {
                        "type": {"enum": ["uri", "literal", "bnode"]},
                        "value": {"type": "string"},
                        "datatype": {"type": "string"},
                        "xml:lang": {"type": "string"},
                    },
                },
            },
        },
    }
