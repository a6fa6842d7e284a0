"""`parlgraph links review`: list lock rows and accept or reject them by id.

Only a person makes a link accepted; refresh only proposes. owl:sameAs in particular never
becomes a triple without this step.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ParameterError
from .lockfile import LockRow, read_lock, write_lock


def select(rows: list[LockRow], status: str | None, source: str | None) -> list[LockRow]:
    """Rows with the given status and source (None: any), in lock-file order."""
    return [
        r
        for r in sorted(rows, key=lambda r: r.key)
        if (status is None or r.status == status) and (source is None or r.source == source)
    ]


def decide(path: Path, accept: list[str], reject: list[str]) -> list[LockRow]:
    """Set the status of the rows with these ids and rewrite the lock file; the changed rows.

    Raises:
        ParameterError: an id that matches no row, or one both accepted and rejected; the
            lock file is then left as it was.
    """
    both = set(accept) & set(reject)
    if both:
        raise ParameterError(f"--accept and --reject both name {sorted(both)[0]}")
    rows = read_lock(path)
    by_id = {r.id: r for r in rows}
    for given in [*accept, *reject]:
        if given not in by_id:
            raise ParameterError(f"{given}: no row of {path} has this id (see `links review`)")
    status = {**dict.fromkeys(reject, "rejected"), **dict.fromkeys(accept, "accepted")}
    changed = [by_id[i].with_status(s) for i, s in status.items() if by_id[i].status != s]
    updated = {r.key: r for r in changed}
    write_lock(path, [updated.get(r.key, r) for r in rows])
    return changed
