"""The page cache: the N-Quads of every built page, kept in files next to the store.

A changed page usually differs from its last version by a few quads (a sentence added to an
answer changed 14 of some 300); with the last version at hand, a rebuild deletes and loads
those only. Removing 1,000 whole page graphs from a 100,000-page store took 6 to 10 s and 10
CPU-seconds, and loading them again 3 to 4 s, most of a rebuild. The manifest records where
each page lies (file, offset, length) and a CRC-32 of its bytes: a page whose cached bytes are
missing or differ is replaced whole, as before. Validation reads the pages a build wrote back
from here too.

A rebuild writes the new versions of the pages it changed to new files; a file less than half
of which is still pointed to has its live pages copied to a new file at the end of the build
(sparse_files, rewrite), so the cache holds at most about twice the corpus's N-Quads.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

FOLDER = "pages"
# A file is rewritten once less than this share of its bytes belongs to pages the manifest
# points to: each rebuild leaves the last versions of the pages it changed behind, and 1 %
# of 100,000 pages changed a day would otherwise add 65 MB a day to the cache for good.
LIVE_SHARE_KEPT = 0.5


def file_name(number: int) -> str:
    return f"{number:06d}.nq"


def location(path: str, offset: int, length: int, data: bytes) -> list:
    """What the manifest keeps of a cached page: file name, offset, length, CRC-32."""
    return [Path(path).name, offset, length, zlib.crc32(data)]


def read_span(path: Path | str, offset: int, length: int) -> bytes:
    """Up to `length` bytes of a cache file from `offset`."""
    with open(path, "rb") as cache:
        cache.seek(offset)
        return cache.read(length)


def read(folder: Path, where: list | None) -> bytes | None:
    """A page's cached N-Quads, or None when they are not there as the manifest recorded."""
    if not where:
        return None
    name, offset, length, crc = where
    try:
        data = read_span(folder / name, offset, length)
    except OSError:
        return None
    return data if len(data) == length and zlib.crc32(data) == crc else None


def changes(old: bytes, new: bytes) -> tuple[bytes, bytes]:
    """The lines of `old` that `new` lacks and those `new` adds, in their order.

    The writer (nquads.lines) writes a quad always as the same line, each once, so lines
    compare as quads.
    """
    old_lines, new_lines = old.split(b"\n"), new.split(b"\n")
    before, after = set(old_lines), set(new_lines)
    gone = b"".join(line + b"\n" for line in old_lines if line and line not in after)
    added = b"".join(line + b"\n" for line in new_lines if line and line not in before)
    return gone, added


def has_blank_nodes(quads: Iterable[ox.Quad]) -> bool:
    return any(
        isinstance(term, ox.BlankNode) for quad in quads for term in (quad.subject, quad.object)
    )


def delete_update(gone: Mapping[str, list[ox.Quad]]) -> str:
    """One SPARQL DELETE DATA of the given quads, graph by graph (no blank nodes allowed)."""
    blocks = []
    for graph, quads in gone.items():
        triples = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        blocks.append(f"GRAPH <{graph}> {{\n{triples}\n}}")
    return "DELETE DATA {\n" + "\n".join(blocks) + "\n}"


def stale_files(folder: Path, referenced: set[str]) -> list[Path]:
    """Cache files no manifest entry points to: every page in them was replaced or removed,
    or a build stopped before writing its manifest."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name not in referenced)


def number_of(name: str) -> int:
    """The number in a cache file's name (file_name)."""
    return int(name.split(".")[0])


def next_number(referenced: Iterable[str]) -> int:
    """The number of the next cache file: past every file the manifest points to."""
    return max(map(number_of, referenced), default=-1) + 1


def sparse_files(folder: Path, entries: Iterable[list], spared: Iterable[str] = ()) -> set[str]:
    """Cache files less than LIVE_SHARE_KEPT of whose bytes are pages still pointed to by
    `entries` (manifest locations); `spared` files are never listed."""
    live: Counter = Counter()
    for name, _, length, _ in entries:
        live[name] += length
    kept = set(spared)
    sparse = set()
    for name, used in live.items():
        if name in kept:
            continue
        try:
            size = (folder / name).stat().st_size
        except OSError:
            continue
        if used < size * LIVE_SHARE_KEPT:
            sparse.add(name)
    return sparse


def rewrite(folder: Path, moving: Iterable[list], number: int) -> list[list | None]:
    """The pages at `moving` (manifest locations), copied one after another into the new
    cache file `number`; their new locations, None for a page not cached as recorded (the
    next change of that page replaces its graph whole). Files a page moved out of are left
    to the sweep of files no entry points to, once the manifest no longer does."""
    path = folder / file_name(number)
    moved: list[list | None] = []
    with path.open("wb") as out:
        for where in moving:
            data = read(folder, where)
            if data is None:
                moved.append(None)
                continue
            moved.append(location(str(path), out.tell(), len(data), data))
            out.write(data)
    if not any(moved):  # nothing was cached as recorded
        path.unlink()
    return moved
