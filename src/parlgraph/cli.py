"""Command line: options in, one call into the library, output out.

Exit codes: 0 ok; 1 bad input or failed run; 2 bad usage; 3 `validate` ran and the graph
does not conform. Results go to stdout, messages to stderr; `--format json` is for programs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

from . import __version__
from .cli_options import base_option, format_option, out_dir_option, reports_errors, store_option
from .errors import ParameterError

EXIT_NOT_CONFORMING = 3
FORMAT_NAMES = ["turtle", "jsonld", "ntriples", "nquads", "trig", "rdfxml"]


def _open_store(store_dir: Path | None, base: str):
    """The built corpus store (read-only), or the bundled sources built in memory."""
    from .store import open_store

    if store_dir is not None:
        return open_store(store_dir)
    return _memory_store(_build(base), base)


def _memory_store(built, base: str):
    """The bundled sources in an in-memory store, with the summaries queries read."""
    from .store import load_store
    from .summaries import refresh_summaries

    store = load_store(built.dataset)
    refresh_summaries(store, base)
    return store


def _stderr(message: str) -> None:
    click.echo(message, err=True)


def _build(base: str):
    from .dataset import build
    from .iris import Iris

    return build(iris=Iris(base))


@click.group(
    epilog="Exit codes: 0 ok, 1 bad input or failed run, 2 bad usage, "
    "3 the graph does not conform to the shapes (validate)."
)
@click.version_option(__version__, prog_name="parlgraph")
def cli() -> None:
    """Publish parliamentary written questions and answers as an accountability graph."""


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option("json prints the structured record for programs.")
@reports_errors
def parse(source: Path, output_format: str) -> None:
    """Parse one question page and print what it says.

    \b
    Example:
        parlgraph parse data/sources/wallonia/2023-2024/qe-238.txt --format json
    """
    from .parse import read, to_record

    record = to_record(read(source))
    if output_format == "json":
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    q = record["question"]
    click.echo(f"{record['reference']}  {record['title']}")
    click.echo(
        f"  question {q['date']}  {q['asker']['family_name']} {q['asker']['given_name']}"
        f" -> {q['addressee']['family_name']} {q['addressee']['given_name']}"
        f", {q['addressee']['post']}"
    )
    for answer in record["answers"]:
        click.echo(
            f"  answer   {answer['date']}  {answer['author']['family_name']} "
            f"{answer['author']['given_name']}  ({len(answer['text'])} characters)"
        )
    if not record["answers"]:
        click.echo("  no answer")


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/store"),
    show_default=True,
    help="Folder of the persistent store and its manifest of page hashes.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per core).",
)
@format_option()
@click.option(
    "--no-validate",
    is_flag=True,
    help="Skip validation (by default the changed graphs are checked against shapes/).",
)
@base_option
@reports_errors
def build(
    sources: tuple[Path, ...],
    store_dir: Path,
    jobs: int | None,
    output_format: str,
    no_validate: bool,
    base: str,
) -> None:
    """Build a corpus of question pages into one store, incrementally.

    SOURCES are page files or folders (default: data/sources). An unchanged page is skipped,
    a changed one replaced, a removed one retracted. A page that cannot be read is reported
    with its file and line and skipped; the others are built. The graphs written are then
    validated (all of them on a first build). Exits 1 if any page failed, 3 if the graph
    does not conform.

    \b
    Example:
        parlgraph build data/sources corpus/ --store build/store
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from .iris import Iris
    from .paths import Layout
    from .pipeline import CorpusBuilder

    layout = Layout.default()
    builder = CorpusBuilder(store_dir, Iris(base), layout)
    console = Console(stderr=True)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(
        *columns, console=console, transient=True, disable=output_format == "json"
    ) as progress:
        task = progress.add_task("pages", total=None)
        checks = progress.add_task("validation", total=None, visible=False)

        def checked(done: int, total: int) -> None:
            progress.update(checks, completed=done, total=total, visible=True)

        summary = builder.build(
            list(sources) or [layout.sources],
            jobs=jobs,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
            report_failure=lambda message: progress.console.print(
                message, markup=False, highlight=False, soft_wrap=True
            ),
            validate=not no_validate,
            validation_progress=checked,
        )
    if output_format == "json":
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(
            f"built {summary.built}, skipped {summary.skipped} unchanged, failed {summary.failed},"
            f" removed {summary.removed}; {summary.store_quads} quads in {store_dir}"
        )
        if summary.report is not None:
            click.echo(_validation_line(summary.validated_graphs or 0, summary.report))
    if summary.failed:
        sys.exit(1)
    if summary.report is not None and not summary.report.conforms:
        sys.exit(EXIT_NOT_CONFORMING)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@base_option
@format_option()
@store_option("Validate a store made by `parlgraph build` (shapes compiled to SPARQL, all cores).")
@reports_errors
def validate(
    files: tuple[Path, ...], base: str, output_format: str, store_dir: Path | None
) -> None:
    """Check the built graph (or the given Turtle/TriG FILES, or a --store) against shapes/.

    Exits 3 when the data does not conform, printing focus node, path and message.
    """
    from .validate import validate as run_validation
    from .validate import validate_files

    if files and store_dir is not None:
        raise click.UsageError("give FILES or --store, not both")
    if store_dir is not None:
        from .scale_validate import validate_store

        report = validate_store(store_dir)
    elif files:
        report = validate_files(list(files), base)
    else:
        report = run_validation(_build(base).union())
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(report.to_text())
    if not report.conforms:
        sys.exit(EXIT_NOT_CONFORMING)


def _validation_line(graphs: int, report, shown: int = 20) -> str:
    """One line when the build conforms; otherwise the count and the first results."""
    if report.conforms:
        return f"validated {graphs} graphs: conforms"
    lines = report.to_text().splitlines()
    more = (
        f"\n... and {len(lines) - shown} more (parlgraph validate --store)"
        if len(lines) > shown
        else ""
    )
    return f"validated {graphs} graphs: {len(lines)} violations\n" + "\n".join(lines[:shown]) + more


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ParameterError(f'--param "{pair}" is not of the form name=value')
        params[key.strip()] = value
    return params


@cli.command()
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True, help="List the stored queries.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query parameter (repeatable).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@base_option
@store_option()
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run on a remote SPARQL endpoint (see `parlgraph publish`) instead of a local store.",
)
@reports_errors
def query(
    name: str | None,
    list_queries: bool,
    params: tuple[str, ...],
    output_format: str,
    base: str,
    store_dir: Path | None,
    endpoint: str | None,
) -> None:
    """Run a stored query from queries/ with bound parameters.

    \b
    Examples:
        parlgraph query --list
        parlgraph query answer-delay --format csv
        parlgraph query unanswered --param at=2024-02-01
        parlgraph query unanswered --endpoint http://127.0.0.1:7878/query
    """
    if store_dir is not None and endpoint is not None:
        raise click.UsageError("--store and --endpoint are exclusive: query one store")
    from .paths import Layout
    from .query import load_queries, run, to_csv, to_json, to_table

    stored = load_queries(Layout.default().queries)
    if list_queries or not name:
        if output_format == "json":
            listing = [
                {
                    "name": q.name,
                    "title": q.title,
                    "description": q.description,
                    "parameters": sorted(q.parameters),
                }
                for q in stored.values()
            ]
            click.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        else:
            for q in stored.values():
                click.echo(f"{q.name:22} {q.title}")
        return
    if name not in stored:
        import difflib

        close = difflib.get_close_matches(name, list(stored), n=1)
        hint = f'; did you mean "{close[0]}"?' if close else " (see parlgraph query --list)"
        raise ParameterError(f'query "{name}" is not a stored query{hint}')
    stored_query = stored[name]
    if endpoint is not None:
        result = _run_remote(endpoint, stored_query, _parse_params(params), base)
    else:
        result = run(_open_store(store_dir, base), stored_query, _parse_params(params), base)
    if output_format == "csv":
        click.echo(to_csv(result), nl=False)
    elif output_format == "json":
        click.echo(to_json(result))
    else:
        Console(width=200).print(to_table(result, stored_query.title))


@cli.command()
@click.option(
    "--format",
    "formats",
    type=click.Choice([*FORMAT_NAMES, "all"]),
    multiple=True,
    required=True,
    help="RDF syntax (repeatable); 'all' writes every one.",
)
@out_dir_option("Folder to write parlgraph.<ext> into; stdout when omitted (one format).")
@base_option
@reports_errors
def export(formats: tuple[str, ...], out_dir: Path | None, base: str) -> None:
    """Serialise the graph; byte-identical across runs, files written atomically.

    N-Quads, TriG and JSON-LD keep one named graph per source document, one for curated
    data, one for editorial assessments and one for the ontology.
    """
    from .export import export as write_exports
    from .export import serialize

    names = FORMAT_NAMES if "all" in formats else list(dict.fromkeys(formats))
    built = _build(base)
    if out_dir is None:
        if len(names) != 1:
            raise ParameterError("--out is required when exporting more than one format")
        sys.stdout.buffer.write(serialize(built.dataset, names[0]))
        return
    for path in write_exports(built.dataset, names, out_dir):
        _stderr(f"{path}: {path.stat().st_size} bytes")


@cli.command()
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the Markdown report to this file instead of stdout.",
)
@base_option
@store_option()
@reports_errors
def report(out_file: Path | None, base: str, store_dir: Path | None) -> None:
    """Print every stored query's answer as a Markdown accountability report."""
    text = _report_text(base, store=_open_store(store_dir, base))
    if out_file:
        from .export import write_atomic

        write_atomic(text.encode("utf-8"), out_file)
        _stderr(f"{out_file}: report written")
    else:
        click.echo(text, nl=False)


def _report_text(base: str, store) -> str:
    from .paths import Layout
    from .query import load_queries
    from .report import render_report

    return render_report(store, load_queries(Layout.default().queries), base)


@cli.command()
@out_dir_option("Folder for the exports and report.", default=Path("build"))
@base_option
@reports_errors
def run(out_dir: Path, base: str) -> None:
    """The main job: build, validate, export every format, print the report."""
    from .export import export as write_exports
    from .export import write_atomic
    from .validate import validate as run_validation

    built = _build(base)
    _stderr(f"built {len(built.dataset)} quads from {len(built.documents)} document(s)")
    validation = run_validation(built.union())
    if not validation.conforms:
        click.echo(validation.to_text(), err=True)
        sys.exit(EXIT_NOT_CONFORMING)
    _stderr("the graph conforms to shapes/")
    for path in write_exports(built.dataset, FORMAT_NAMES, out_dir):
        _stderr(f"wrote {path} ({path.stat().st_size} bytes)")
    text = _report_text(base, _memory_store(built, base))
    write_atomic(text.encode("utf-8"), out_dir / "report.md")
    _stderr(f"wrote {out_dir / 'report.md'}")
    click.echo(text, nl=False)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to bind; 0 picks a free one (the URL is printed on stderr).",
)
@click.option(
    "--site",
    default=None,
    help="Public URL the site is reached at, ending with '/' (default: http://HOST:PORT/).",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    default=("*",),
    show_default=True,
    help="Origin allowed by CORS (repeatable); pass '' to send no CORS headers.",
)
@base_option
@store_option()
@click.option(
    "--endpoint",
    help="Serve a remote SPARQL endpoint (see `parlgraph publish`) instead of a local store.",
)
@reports_errors
def serve(
    host: str,
    port: int,
    site: str | None,
    cors_origins: tuple[str, ...],
    base: str,
    store_dir: Path | None,
    endpoint: str | None,
) -> None:
    """Publish the graph as linked data: every IRI dereferences, in RDF or HTML.

    Serves the bundled sources built in memory, a store made by `parlgraph build`, or a
    remote SPARQL endpoint (`parlgraph publish`). IRIs answer 200 with the negotiated format
    (Accept, ?format=, or a suffix such as .ttl).

    \b
    Examples:
        parlgraph serve
        parlgraph serve --store build/store --port 0
        parlgraph serve --endpoint http://127.0.0.1:7878/query
        parlgraph serve --base http://127.0.0.1:8000/   # IRIs dereference as they are
        curl -H 'Accept: text/turtle' http://127.0.0.1:8000/id/question/wallonia/2023-2024/238
    """
    import datetime as dt

    from .iris import check_base
    from .web.backend import Backend, EmbeddedBackend
    from .web.serve import bind, build_app, run_server

    check_base(base)
    if site is not None and not site.endswith("/"):
        raise ParameterError(f'--site "{site}" must end with "/"')
    manifest = store_dir / "manifest.json" if store_dir else None
    modified = (
        dt.datetime.fromtimestamp(manifest.stat().st_mtime, dt.UTC)
        if manifest and manifest.is_file()
        else None
    )
    if store_dir is not None and endpoint is not None:
        raise click.UsageError("--store and --endpoint are exclusive: serve one store")
    if endpoint is not None:
        from .remote import RemoteBackend

        remote = RemoteBackend(endpoint)
        remote.check_union_default_graph()
        backend: Backend = remote
    else:
        backend = EmbeddedBackend(_open_store(store_dir, base), modified=modified)
    sock = bind(host, port)
    url = site or f"http://{host if ':' not in host else f'[{host}]'}:{sock.getsockname()[1]}/"
    origins = tuple(origin for origin in cors_origins if origin)
    app = build_app(backend, base=base, site=url, cors_origins=origins)
    _stderr(f"parlgraph serving {url} (IRIs under {base}); Ctrl-C stops")
    run_server(app, sock)


@cli.command()
@out_dir_option("Folder to write ontology.html into.", default=Path("build/docs"))
@base_option
@store_option()
@reports_errors
def docs(out_dir: Path, base: str, store_dir: Path | None) -> None:
    """Write the ontology's HTML documentation, generated by pyLODE."""
    from .web.backend import EmbeddedBackend
    from .web.docs import write_ontology_html

    target = write_ontology_html(EmbeddedBackend(_open_store(store_dir, base)), out_dir)
    _stderr(f"{target}: {target.stat().st_size} bytes")


def _run_remote(endpoint: str, stored_query, params: dict[str, str], base: str):
    """A stored query on a remote endpoint; parameters are checked before anything is sent."""
    from .query import bind_parameters
    from .remote import RemoteBackend, run_remote

    bind_parameters(stored_query, params, base)
    backend = RemoteBackend(endpoint)
    backend.check_union_default_graph()
    return run_remote(backend, stored_query, params, base)


@cli.command()
@click.option(
    "--endpoint",
    metavar="URL",
    required=True,
    help="SPARQL query URL of the server, e.g. http://127.0.0.1:7878/query (Oxigraph).",
)
@click.option(
    "--graph-store",
    "graph_store",
    metavar="URL",
    help="Graph Store Protocol URL; derived for Oxigraph (/query -> /store) when omitted.",
)
@store_option("Publish a store made by `parlgraph build` instead of the bundled sources.")
@click.option(
    "--prune",
    is_flag=True,
    help="Also delete the server's graphs under --base that the store no longer has.",
)
@format_option()
@base_option
@reports_errors
def publish(
    endpoint: str,
    graph_store: str | None,
    store_dir: Path | None,
    prune: bool,
    output_format: str,
    base: str,
) -> None:
    """Replace each named graph on a SPARQL server (Graph Store Protocol PUT); rerun-safe.

    Graphs the server holds but the store does not are kept unless --prune is given, which
    deletes only those under --base. The default graph is sent only if the store has triples
    in it. Query the server with `parlgraph query --endpoint URL NAME`.

    \b
    Example:
        oxigraph serve --location /tmp/ox --union-default-graph &
        parlgraph publish --endpoint http://localhost:7878/query
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress

    from .iris import check_base
    from .remote import check_url, graph_store_for
    from .remote import publish as push

    check_url(endpoint)
    target = graph_store or graph_store_for(endpoint)
    store = _open_store(store_dir, base)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn())
    console = Console(stderr=True)
    with Progress(
        *columns, console=console, transient=True, disable=output_format == "json"
    ) as progress:
        task = progress.add_task("graphs", total=None)
        report = push(
            store,
            target,
            prune_under=check_base(base) if prune else None,
            endpoint=endpoint,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    pruned = f"; pruned {len(report.pruned)}" if prune else ""
    default = (
        f" and {report.default_graph_triples} in the default graph"
        if report.default_graph_triples
        else ""
    )
    click.echo(
        f"published {report.graphs} graphs, {report.triples} triples{default} to {target}{pruned}"
    )


def main() -> None:
    """Console entry point."""
    cli(prog_name="parlgraph")


# Issue 5: links to EU open-data graphs (refresh online, review, used offline by build).
from .links.commands import links as _links  # noqa: E402

cli.add_command(_links)
