"""A real Virtuoso (Debian's virtuoso-opensource) for integration tests, when it is installed.

Virtuoso runs the European Publications Office's SPARQL endpoints, so the external store is
tried against it too. The server gets its own database folder and two free loopback ports
(SQL and HTTP), and its anonymous SPARQL user is allowed to write, which the Graph Store
Protocol endpoint /sparql-graph-crud needs; it never listens beyond 127.0.0.1.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from servers import free_port, stop, wait_until_answers

READY_TIMEOUT_S = 60.0
# Lets the anonymous web user ("SPARQL", acting as "nobody") write through the Graph Store
# Protocol. Acceptable for a throwaway test database on loopback, never for a public server.
GRANTS = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}/www
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


@dataclass(frozen=True)
class VirtuosoServer:
    url: str
    location: Path

    @property
    def query_url(self) -> str:
        return self.url + "/sparql"

    @property
    def store_url(self) -> str:
        return self.url + "/sparql-graph-crud"

    def log_text(self) -> str:
        return _log(self.location)


def virtuoso_binaries() -> tuple[str, str] | None:
    """virtuoso-t and its isql, or None when Virtuoso is not installed."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


# A port found free can be taken before the server binds it (the two ports asked for one
# after the other, or another test's server): the server then exits at once, and is started
# again on other ports.
START_ATTEMPTS = 3


def _two_ports() -> tuple[int, int]:
    while True:
        sql_port, http_port = free_port(), free_port()
        if sql_port != http_port:
            return sql_port, http_port


def _start(server_bin: str, location: Path) -> tuple[subprocess.Popen, VirtuosoServer, int]:
    """virtuoso-t started on two fresh loopback ports and answering, with its SQL port."""
    (location / "www").mkdir(parents=True, exist_ok=True)
    sql_port, http_port = _two_ports()
    ini = location / "virtuoso.ini"
    ini.write_text(INI.format(db=location, sql_port=sql_port, http_port=http_port), "utf-8")
    server = VirtuosoServer(f"http://127.0.0.1:{http_port}", location)
    with (location / "stdout.log").open("wb") as sink:
        process = subprocess.Popen(
            [server_bin, "+foreground", "+configfile", str(ini)],
            cwd=location,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answers(
            server.query_url + "?query=ASK%7B%7D",
            process,
            name="virtuoso-t",
            seconds=READY_TIMEOUT_S,
            interval=0.2,
        )
    except BaseException as err:
        stop(process, seconds=30)
        err.add_note(f"virtuoso log ({location}):\n{server.log_text()[-4000:]}")
        raise
    return process, server, sql_port


@contextmanager
def virtuoso_server(location: Path) -> Iterator[VirtuosoServer]:
    """Start virtuoso-t in the foreground on loopback, open its Graph Store, stop it after."""
    binaries = virtuoso_binaries()
    if binaries is None:
        raise RuntimeError("virtuoso-t and isql-vt are not installed")
    server_bin, isql = binaries
    for attempt in range(1, START_ATTEMPTS + 1):
        folder = location / f"attempt-{attempt}"
        try:
            process, server, sql_port = _start(server_bin, folder)
            break
        except RuntimeError:
            if attempt == START_ATTEMPTS or "listen" not in _log(folder).lower():
                raise
    try:
        subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={GRANTS}"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield server
    except BaseException as err:
        err.add_note(f"virtuoso log ({server.location}):\n{server.log_text()[-4000:]}")
        raise
    finally:
        stop(process, seconds=30)


def _log(folder: Path) -> str:
    log = folder / "virtuoso.log"
    return log.read_text("utf-8", "replace") if log.exists() else ""
