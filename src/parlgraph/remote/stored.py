"""Run a stored query on a remote endpoint and get the same QueryResult as on the embedded store.

Parameters go through `query.bind_parameters`, as for an embedded run (same checks, same
defaults), then into the text with `binding.substitute`; rows come back as rdflib terms, so
to_csv, to_json, to_table and to_markdown format them unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from ..errors import QueryError
from ..iris import DEFAULT_BASE
from ..query import QueryResult, StoredQuery, bind_parameters
from ..store import from_ox, to_ox
from ..web.backend import Backend
from .binding import substitute


def run_remote(
    backend: Backend,
    query: StoredQuery,
    params: Mapping[str, str] | None = None,
    base: str = DEFAULT_BASE,
) -> QueryResult:
    """Run a stored query through a Backend (a RemoteBackend, typically).

    Raises:
        ParameterError: a parameter is unknown, missing or malformed (nothing is sent).
        RemoteError: the endpoint is unreachable or refused the query.
    """
    bindings = bind_parameters(query, params, base)
    try:
        bound = substitute(query.text, bindings)
    except QueryError as err:
        raise QueryError(f"{query.path}: {err}") from err
    solutions = backend.query(bound.text)
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError(f"{query.path}: the endpoint did not answer with solutions")
    sent = [v.value for v in solutions.variables]
    columns = bound.columns if bound.columns is not None else sent
    # As pyoxigraph returns them: a plain string comes back typed xsd:string, for one.
    constants = {name: from_ox(to_ox(term)) for name, term in bound.constants.items()}
    rows = []
    for solution in solutions:
        row = {name: from_ox(solution[name]) for name in sent}
        row.update(constants)
        rows.append({name: row.get(name) for name in columns})
    return QueryResult(list(columns), rows)
