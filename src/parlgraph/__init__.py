"""parlgraph: written parliamentary questions and answers as an accountability knowledge graph."""

__version__ = "0.1.0"
