"""The entities register: what pages said about shared nodes, stored once, rebuilt exactly."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from parlgraph.entities import EntityRegister

GRAPH = "<https://example.org/graph/entities>"
subjects = st.sampled_from([f"<https://example.org/id/{n}>" for n in "abcde"])
objects = st.sampled_from(['"A"', '"B"@fr', "<https://example.org/id/x>"])
lines = st.builds(lambda s, o: f"{s} <https://example.org/p> {o} {GRAPH} .\n", subjects, objects)
pages = st.lists(st.lists(lines, max_size=8), max_size=6)


@given(pages)
def test_the_graph_is_the_union_of_what_the_pages_still_there_said(pages):
    register = EntityRegister()
    keys = [register.add(page) for page in pages]
    expected = sorted({line for page in pages for line in page})
    assert register.nquads(keys).decode("utf-8") == "".join(expected)
    # what the manifest keeps reads back to the same graph, without the pages removed since
    kept = keys[1:]
    back = EntityRegister.from_json(json.loads(json.dumps(register.to_json(kept))))
    assert back.nquads(kept) == register.nquads(kept)
    assert back.nquads(kept).decode("utf-8") == "".join(
        sorted({line for page in pages[1:] for line in page})
    )


def test_pages_saying_the_same_share_one_entry():
    register = EntityRegister()
    page = [f'<https://example.org/id/a> <https://example.org/p> "A" {GRAPH} .\n']
    assert register.add(page) == register.add(list(reversed(page * 2)))
    assert len(register.to_json([register.add(page)])["groups"]) == 1
