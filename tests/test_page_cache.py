"""The page cache's diff: what a rebuild deletes and loads turns the old page into the new."""

from __future__ import annotations

import zlib

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st

from parlgraph import page_cache

GRAPH = "https://w3id.org/parlgraph/graph/document/wallonia/2023-2024/qe-1"
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


def _line(n: int, text: str) -> bytes:
    subject = ox.NamedNode(f"https://w3id.org/parlgraph/id/x{n}")
    quad = ox.Quad(subject, ox.NamedNode("http://schema.org/text"), ox.Literal(text))
    return f"{quad.subject} {quad.predicate} {quad.object} <{GRAPH}> .\n".encode()


pages = st.lists(st.tuples(st.integers(0, 30), texts), max_size=25).map(
    lambda items: b"".join(dict.fromkeys(_line(n, t) for n, t in items))
)


def _store(data: bytes) -> ox.Store:
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return store


@given(pages, pages)
def test_deleting_what_is_gone_and_loading_what_is_added_gives_the_new_page(old, new) -> None:
    gone, added = page_cache.changes(old, new)
    store = _store(old)
    quads = list(ox.parse(gone, format=ox.RdfFormat.N_QUADS))
    if quads:
        store.update(page_cache.delete_update({GRAPH: quads}))
    store.load(added, format=ox.RdfFormat.N_QUADS)
    assert set(store) == set(_store(new))
    assert not set(gone.splitlines()) & set(added.splitlines())


def test_a_page_is_read_back_only_as_recorded(tmp_path) -> None:
    data = _line(1, "un") + _line(2, 'deux "2"\n')
    (tmp_path / page_cache.file_name(3)).write_bytes(b"x" * 10 + data)
    where = page_cache.location(str(tmp_path / page_cache.file_name(3)), 10, len(data), data)
    assert where == ["000003.nq", 10, len(data), zlib.crc32(data)]
    assert page_cache.read(tmp_path, where) == data
    assert page_cache.read(tmp_path, [where[0], 11, len(data), where[3]]) is None  # moved
    assert page_cache.read(tmp_path, ["000004.nq", 10, len(data), where[3]]) is None  # gone
    assert page_cache.read(tmp_path, None) is None  # built before the cache


def test_cache_files_no_entry_points_to_are_stale(tmp_path) -> None:
    for number in (0, 1, 2):
        (tmp_path / page_cache.file_name(number)).write_bytes(b"")
    assert [p.name for p in page_cache.stale_files(tmp_path, {"000001.nq"})] == [
        "000000.nq",
        "000002.nq",
    ]
    assert page_cache.next_number({"000001.nq"}) == 2
    assert page_cache.next_number(set()) == 0


@given(st.lists(st.tuples(pages, st.booleans()), min_size=1, max_size=8))
def test_rewritten_pages_read_back_and_only_sparse_files_are_listed(tmp_path_factory, items):
    """Live pages copied to a new file read back as they were, from where rewrite says; a
    file is sparse when less than half of it is live."""
    folder = tmp_path_factory.mktemp("cache")
    old = folder / page_cache.file_name(0)
    offset, locations = 0, []
    with old.open("wb") as out:
        for data, live in items:
            out.write(data)
            if live:
                locations.append(page_cache.location(str(old), offset, len(data), data))
            offset += len(data)
    used = sum(where[2] for where in locations)
    sparse = page_cache.sparse_files(folder, locations)
    assert sparse == ({old.name} if locations and used < offset / 2 else set())
    assert page_cache.sparse_files(folder, locations, spared=[old.name]) == set()

    moved = page_cache.rewrite(folder, locations, 1)
    expected = [data for data, live in items if live]
    assert [page_cache.read(folder, where) for where in moved] == expected
    assert all(where[0] == page_cache.file_name(1) for where in moved if where)
    assert (folder / page_cache.file_name(1)).exists() == bool(expected)


def test_a_page_not_cached_as_recorded_is_not_moved(tmp_path) -> None:
    data = _line(1, "texte")
    (tmp_path / page_cache.file_name(0)).write_bytes(data)
    where = page_cache.location(page_cache.file_name(0), 0, len(data), data)
    damaged = [*where[:3], where[3] ^ 1]
    assert page_cache.rewrite(tmp_path, [damaged], 1) == [None]
    assert not (tmp_path / page_cache.file_name(1)).exists()
    assert page_cache.rewrite(tmp_path, [damaged, where], 1)[1] == [
        page_cache.file_name(1),
        0,
        len(data),
        zlib.crc32(data),
    ]
