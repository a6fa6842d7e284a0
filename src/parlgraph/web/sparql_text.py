"""What can be told about a SPARQL query from its tokens, without a full parser.

pyoxigraph 0.5 exposes no query algebra, and its `use_default_graph_as_union` flag replaces a
query's own FROM clauses; the backend must therefore know whether a query names its dataset.
"""

from __future__ import annotations

import re

# IRIs, strings, comments, variables and prefixed names are consumed whole, so a FROM inside
# any of them (<http://x/FROM>, "from", # FROM, ?from, ex:from) is never taken for the keyword.
_TOKENS = re.compile(
    r"""<[^<>"{}|^`\\\x00-\x20]*>
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\" | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n\r]|\\.)*" | '(?:[^'\\\n\r]|\\.)*'
      | \#[^\n\r]*
      | [?$][\w\u00B7\u00C0-\uFFFF]+
      | :[\w\-.:%]*
      | (?P<word>[A-Za-z_][\w\-.]*)(?P<colon>:[\w\-.:%]*)?""",
    re.VERBOSE,
)


def keywords(sparql: str) -> set[str]:
    """The bare words of a query, upper-cased: keywords, function names, `a`.

    >>> sorted(keywords('SELECT ?from WHERE { ?from ex:from "FROM" } # FROM'))
    ['SELECT', 'WHERE']
    """
    return {
        match.group("word").upper()
        for match in _TOKENS.finditer(sparql)
        if match.group("word") and not match.group("colon")
    }


def has_dataset_clause(sparql: str) -> bool:
    """True when the query has a FROM or FROM NAMED clause.

    >>> has_dataset_clause("SELECT * FROM <http://g> WHERE { ?s ?p ?o }")
    True
    >>> has_dataset_clause("SELECT * WHERE { ?s <http://x/FROM> 'from' }")
    False
    """
    return "FROM" in keywords(sparql)


def has_service_clause(sparql: str) -> bool:
    """True when the query calls another endpoint (SERVICE, SPARQL 1.1 Federated Query).

    >>> has_service_clause("SELECT * { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }")
    True
    """
    return "SERVICE" in keywords(sparql)
