"""An external triple store: push the named graphs to it, query it like the embedded one.

`publish` replaces each named graph on a server through the SPARQL 1.1 Graph Store Protocol;
`RemoteBackend` answers the web app's Backend calls over the SPARQL 1.1 Protocol (through
SPARQLWrapper); `run_remote` runs a stored query there and returns the same QueryResult as
`parlgraph.query.run` does on the embedded store.
"""

from .binding import substitute
from .client import RemoteBackend
from .endpoint import check_url, graph_store_for
from .publish import PublishReport, publish
from .stored import run_remote

__all__ = [
    "PublishReport",
    "RemoteBackend",
    "check_url",
    "graph_store_for",
    "publish",
    "run_remote",
    "substitute",
]
