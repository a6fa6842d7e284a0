"""The publishing side: an ASGI app over a SPARQL backend (embedded store or remote endpoint)."""
