"""What each page says about the people, posts and sessions it names, kept to rebuild one graph.

Every page names an asker, a minister, the minister's post and its competences, and a session.
Stated in each page's graph, those descriptions were 15 % of a corpus's quads, and validation
read every restatement of a node before it could tell whether its values were right. The build
states them once, in the entities graph. To rewrite that graph after a rebuild, when most pages
are not read again, the manifest keeps what each page contributed: its lines are grouped by
subject (a person, a post...), identical groups are stored once, and a page records one key
for its set of groups. Pages that spell a name differently each keep their spelling.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from itertools import groupby


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _subject(line: str) -> str:
    return line.split(" ", 1)[0]


class EntityRegister:
    """Groups of N-Quads lines (one subject each) and the sets of groups pages contributed."""

    def __init__(
        self,
        groups: dict[str, list[str]] | None = None,
        bundles: dict[str, list[str]] | None = None,
    ) -> None:
        self.groups = groups or {}  # group key -> lines about one subject
        self.bundles = bundles or {}  # bundle key -> group keys (what one page said)

    def add(self, lines: Sequence[str]) -> str:
        """Record one page's lines; the key its manifest entry keeps."""
        keys = []
        for _, group in groupby(sorted(set(lines)), key=_subject):
            text = list(group)
            key = _key("".join(text))
            self.groups.setdefault(key, text)
            keys.append(key)
        bundle = _key(" ".join(keys))
        self.bundles.setdefault(bundle, keys)
        return bundle

    def nquads(self, bundles: Iterable[str]) -> bytes:
        """The entities graph as N-Quads for the pages whose keys are given."""
        groups = {group for bundle in set(bundles) for group in self.bundles[bundle]}
        lines = sorted({line for group in groups for line in self.groups[group]})
        return "".join(lines).encode("utf-8")

    def to_json(self, live: Iterable[str]) -> dict:
        """What the manifest keeps: only the groups that pages still in the corpus gave."""
        bundles = {key: self.bundles[key] for key in sorted(set(live))}
        groups = sorted({group for keys in bundles.values() for group in keys})
        return {"bundles": bundles, "groups": {key: self.groups[key] for key in groups}}

    @classmethod
    def from_json(cls, data: dict | None) -> EntityRegister:
        data = data or {}
        return cls(dict(data.get("groups", {})), dict(data.get("bundles", {})))
