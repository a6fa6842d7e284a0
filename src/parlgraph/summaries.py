"""Summaries of the whole corpus, materialised at build time in their own named graph.

A stored query answers in milliseconds only if it never aggregates, sorts or joins the whole
corpus, so whatever needs the whole corpus (answers per membership, the first answer and the
delay of every question, reported actions backed by a figure, SME participations per
project) is computed once, here, into `<{base}graph/summary>`.

The summary graph states only pg: summary terms, never a page's own properties: a copy of a
page fact there would hide, to a validator reading the union of graphs, the page that lost it.
Being the only graph with those terms, it needs no GRAPH clause to be read, under any --base.
Where a summary query must show what pages describe (names, posts, competences), the summary
points with pg:describedIn to one graph that describes the node (the entities graph, where a
corpus build states people and posts once): pyoxigraph's union default graph does not remove
duplicates, so a name that another graph restated would come back once per graph.

Every step is a CONSTRUCT over the named graphs (`GRAPH ?g`: the store's default graph is
not their union here). Joins over corpus-sized sets are joins of sub-selects, which pyoxigraph
evaluates as hash joins instead of one index lookup per row. `refresh_summaries` then writes
only the triples that changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import ORG

from .derived import AnswerFacts
from .export import write_atomic
from .iris import check_base

SUMMARY_GRAPH = "graph/summary"

PREFIXES = """\
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli:     <http://data.europa.eu/eli/ontology#>
PREFIX eli-dl:  <http://data.europa.eu/eli/eli-draft-legislation-ontology#>
PREFIX foaf:    <http://xmlns.com/foaf/0.1/>
PREFIX org:     <http://www.w3.org/ns/org#>
PREFIX pg:      <https://w3id.org/parlgraph/def/>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX schema:  <http://schema.org/>
PREFIX xsd:     <http://www.w3.org/2001/XMLSchema#>
"""


def julian_day(date: str, out: str, indent: str = "  ") -> str:
    """SPARQL binding ?out to the Julian day number of ?date (Fliegel and Van Flandern).

    Integer arithmetic on YEAR, MONTH and DAY, which every SPARQL 1.1 engine has (rdflib
    too); subtracting xsd:date values is an extension that not all engines support.
    """
    a, y, m = f"?{out}_a", f"?{out}_y", f"?{out}_m"
    return (
        f"{indent}BIND (FLOOR((14 - MONTH(?{date})) / 12) AS {a})\n"
        f"{indent}BIND (YEAR(?{date}) + 4800 - {a} AS {y})\n"
        f"{indent}BIND (MONTH(?{date}) + 12 * {a} - 3 AS {m})\n"
        f"{indent}BIND (DAY(?{date}) + FLOOR((153 * {m} + 2) / 5) + 365 * {y} + FLOOR({y} / 4)\n"
        f"{indent}      - FLOOR({y} / 100) + FLOOR({y} / 400) - 32045 AS ?{out})\n"
    )


# The day number of every date a work is dated with: a few thousand distinct dates, so the
# arithmetic runs once per date, not once per question.
_DAYS = """
      { SELECT DISTINCT ?day_date WHERE { GRAPH ?g5 { ?work eli:date_document ?day_date } } }
""" + julian_day("day_date", "day", "      ")

# Answers and the membership each is attributed to (claims and actions are attributed to
# memberships too, hence the join on the answers' type).
_ATTRIBUTED_ANSWERS = """
      { SELECT ?answer WHERE { GRAPH ?g1 { ?answer a pg:WrittenAnswer } } }
      { SELECT ?answer ?membership
        WHERE { GRAPH ?g2 { ?answer prov:wasAttributedTo ?membership } } }"""


def _sme_claims(claim: str) -> str:
    """Claims (?{claim}) about a ?project's SME participations, with their ?lower_bound."""
    return f"""
      {{ SELECT ?{claim}
        WHERE {{ GRAPH ?g1 {{ ?{claim} schema:variableMeasured pg:sme-participations }} }} }}
      {{ SELECT ?{claim} ?project
        WHERE {{ GRAPH ?g2 {{ ?{claim} schema:observationAbout ?project }} }} }}
      OPTIONAL {{ GRAPH ?g3 {{ ?{claim} schema:value ?value }} }}
      OPTIONAL {{ GRAPH ?g4 {{ ?{claim} schema:minValue ?min_value }} }}
      BIND (COALESCE(?min_value, ?value) AS ?lower_bound)
      FILTER EXISTS {{ GRAPH ?g5 {{ ?{claim} a pg:QuantifiedClaim }} }}"""


_MOST_PER_PROJECT = (
    """{ SELECT ?project (MAX(?lower_bound) AS ?most) WHERE {"""
    + _sme_claims("each")
    + """
      } GROUP BY ?project }"""
)

SME_STEP = "SME participations"
UNATTRIBUTED_STEP = "answers without a post"

# (name, CONSTRUCT) pairs; <SUMMARY> stands for the summary graph's IRI, the subject of
# corpus-wide figures. Steps read only the page, curated and shared graphs (none of their
# patterns can match a pg: summary term), so they can run in any order.
STEPS: tuple[tuple[str, str], ...] = (
    (
        "question count",
        """
CONSTRUCT { <SUMMARY> pg:questionCount ?questions }
WHERE {
  SELECT (COUNT(DISTINCT ?question) AS ?questions)
  WHERE { GRAPH ?g { ?question a pg:WrittenQuestion } }
}""",
    ),
    (
        # answer-delay, unanswered: each question's date (a scan of pg:askedOn sees questions
        # only, eli:date_document answers too), the date of its first answer and the days
        # in between.
        "questions",
        """
CONSTRUCT {
  ?question pg:askedOn ?question_date ; pg:firstAnswerDate ?answer_date ; pg:delayDays ?days .
}
WHERE {
  {
    SELECT DISTINCT ?question ?question_date
    WHERE {
      { SELECT ?question WHERE { GRAPH ?g1 { ?question a pg:WrittenQuestion } } }
      { SELECT ?question ?question_date
        WHERE { GRAPH ?g2 { ?question eli:date_document ?question_date } } }
    }
  }
  OPTIONAL {
    # The day number is joined on each answer's own date: on MIN(?date), a value that may
    # be unbound, pyoxigraph could not hash the join and would compare every pair.
    SELECT ?question (MIN(?date) AS ?answer_date) (MIN(?day) AS ?answer_day)
    WHERE {
      { SELECT ?answer ?question WHERE { GRAPH ?g3 { ?answer eli-dl:answers_to ?question } } }
      { SELECT ?answer ?date WHERE { GRAPH ?g4 { ?answer eli:date_document ?date } } }
      { SELECT (?day_date AS ?date) ?day WHERE {"""
        + _DAYS
        + """      } }
    }
    GROUP BY ?question
  }
  { SELECT (?day_date AS ?question_date) (?day AS ?question_day) WHERE {"""
        + _DAYS
        + """  } }
  BIND (xsd:integer(?answer_day - ?question_day) AS ?days)
}""",
    ),
    (
        # minister-portfolio: answers signed in each membership of a post.
        "answers per membership",
        """
CONSTRUCT { ?membership pg:answerCount ?answers }
WHERE {
  {
    SELECT ?membership (COUNT(DISTINCT ?answer) AS ?answers)
    WHERE {"""
        + _ATTRIBUTED_ANSWERS
        + """
    }
    GROUP BY ?membership
  }
  FILTER EXISTS { GRAPH ?g { ?membership a org:Membership } }
}""",
    ),
    (
        # minister-portfolio, commitment-actions: one page that describes each membership
        # (holder, post, roles, competences and their labels, as every page naming it does).
        # SAMPLE takes the first graph in the store's order without reading graph names.
        "membership pages",
        """
CONSTRUCT { ?membership pg:describedIn ?page }
WHERE {
  SELECT ?membership (SAMPLE(?g) AS ?page)
  WHERE { GRAPH ?g { ?membership a org:Membership } }
  GROUP BY ?membership
}""",
    ),
    (
        # minister-portfolio: answers whose author is not the member of a membership they are
        # attributed to (the page names no post for them), per author, and a graph that
        # names the author. A rebuild counts the rows its pages kept instead (unattributed_step).
        UNATTRIBUTED_STEP,
        """
CONSTRUCT { ?person pg:unattributedAnswerCount ?answers ; pg:describedIn ?page }
WHERE {
  { SELECT ?person (SAMPLE(?g) AS ?page) WHERE { GRAPH ?g { ?person foaf:name ?name } }
    GROUP BY ?person }
  { SELECT ?person (COUNT(DISTINCT ?answer) AS ?answers)
  WHERE {
    { SELECT ?answer WHERE { GRAPH ?g1 { ?answer a pg:WrittenAnswer } } }
    { SELECT ?answer ?person ?g2 WHERE { GRAPH ?g2 { ?answer dcterms:creator ?person } } }
    MINUS {
      # From each membership's holder to what is attributed to the membership.
      { SELECT DISTINCT ?membership ?person WHERE {
          { SELECT ?membership (SAMPLE(?g) AS ?page)
            WHERE { GRAPH ?g { ?membership a org:Membership } } GROUP BY ?membership }
          GRAPH ?page { ?membership org:member ?person } } }
      GRAPH ?g3 { ?answer prov:wasAttributedTo ?membership }
    }
  }
  GROUP BY ?person }
}""",
    ),
    (
        # quantified-actions: reported actions, and those a quantified claim supports.
        "reported actions",
        """
CONSTRUCT { <SUMMARY> pg:reportedActionCount ?actions ; pg:quantifiedActionCount ?quantified }
WHERE {
  { SELECT (COUNT(DISTINCT ?action) AS ?actions)
    WHERE { GRAPH ?g { ?action a pg:ReportedAction } } }
  { SELECT (COUNT(DISTINCT ?action) AS ?quantified)
    WHERE {
      GRAPH ?g { ?claim pg:supports ?action }
      FILTER EXISTS { GRAPH ?h { ?claim a pg:QuantifiedClaim } }
      FILTER EXISTS { GRAPH ?i { ?action a pg:ReportedAction } }
    } }
}""",
    ),
    (
        # sme-participation: per project, the largest lower bound any claim states and the
        # claim stating it (on a tie, the one whose IRI sorts first). Their sum is summed
        # from this step's own lines (sme_total): computing the largest bounds again for it
        # took half of the step, 1.4 s at 100,000 pages.
        SME_STEP,
        """
CONSTRUCT { ?project pg:smeParticipationsAtLeast ?most ; pg:smeParticipationsClaim ?claim . }
WHERE {
  SELECT ?project ?most (MIN(?each) AS ?claim)
  WHERE {
    """
        + _MOST_PER_PROJECT
        + _sme_claims("each")
        + """
    FILTER (?lower_bound = ?most)
  }
  GROUP BY ?project ?most
}""",
    ),
)
_SME_AT_LEAST = b"<https://w3id.org/parlgraph/def/smeParticipationsAtLeast>"


def sme_total(base: str, lines: set[bytes]) -> str:
    """The CONSTRUCT of the corpus-wide SME sum, over the per-project bounds in `lines`.

    The store adds them up (VALUES of the very literals), so the sum has the type and form
    SUM gives over the claims themselves.
    """
    bounds = []
    for line in sorted(lines):
        _, predicate, rest = line.split(b" ", 2)
        if predicate == _SME_AT_LEAST:
            bounds.append(rest.removesuffix(b" .").decode("utf-8"))
    graph = summary_graph(base).value
    return (
        PREFIXES
        + f"CONSTRUCT {{ <{graph}> pg:smeParticipationsAtLeast ?total }}\n"
        + "WHERE { SELECT (SUM(?most) AS ?total) WHERE { VALUES ?most { "
        + " ".join(bounds)
        + " } } }"
    )


def summary_graph(base: str) -> ox.NamedNode:
    """The name of the summary graph under a dataset base."""
    return ox.NamedNode(check_base(base) + SUMMARY_GRAPH)


def step_queries(base: str) -> list[tuple[str, str]]:
    """Each step's name and CONSTRUCT query, with the summary graph's IRI filled in."""
    graph = summary_graph(base).value
    return [(name, PREFIXES + text.replace("<SUMMARY>", f"<{graph}>")) for name, text in STEPS]


# The step whose lines are one question's each: a page's question, its answers and their
# dates all lie in the page's graph, so a rebuild recomputes it for the pages it changed.
PER_QUESTION_STEP = "questions"
_PG = "https://w3id.org/parlgraph/def/"
PER_QUESTION_PREDICATES = frozenset(
    f"<{_PG}{name}>".encode() for name in ("askedOn", "firstAnswerDate", "delayDays")
)
# What the per-question step reads: were any of it stated outside the pages (a curated
# layer adding an answer), a question's lines would depend on more than its page.
_PER_QUESTION_INPUTS = """
ASK { GRAPH ?g { { ?q a pg:WrittenQuestion } UNION { ?a eli-dl:answers_to ?q }
                 UNION { ?w eli:date_document ?d } } }"""
# What the rows of answers without a post are read from, besides the pages: memberships
# described in the entities graph (<ENTITIES>), which the pages' descriptions make up.
_ANSWERS_OR_MEMBERSHIPS = """
ASK { { GRAPH ?g { ?a a pg:WrittenAnswer } }
      UNION { GRAPH ?g { ?m a org:Membership } FILTER (?g != <ENTITIES>) } }"""
# What a shared graph says of an answer typed elsewhere: its author or its membership. The
# subjects are listed first: joined to the answers of the whole corpus, the pattern took 15 s.
_AUTHORED_OR_ATTRIBUTED = """
SELECT DISTINCT ?a WHERE {
  GRAPH ?g { { ?a dcterms:creator ?p } UNION { ?a prov:wasAttributedTo ?m } } }"""


def _lines(store: ox.Store, query: str, graphs: list[str] | None = None) -> set[bytes]:
    named = None if graphs is None else [ox.NamedNode(g) for g in graphs]
    triples = store.query(query, named_graphs=named)
    return set(triples.serialize(format=ox.RdfFormat.N_TRIPLES).splitlines())


def compute_summaries(
    store: ox.Store,
    base: str,
    per_question: bool = True,
    unattributed: Iterable[tuple[str, str]] | None = None,
) -> set[bytes]:
    """The triples the summary graph should hold, as canonical N-Triples lines.

    Without the per-question step if `per_question` is false; with the rows of answers
    without a post given, if they are (unattributed_answers), instead of reading them.
    """
    lines: set[bytes] = set()
    for name, query in step_queries(base):
        if name == UNATTRIBUTED_STEP and unattributed is not None:
            query = unattributed_step(base, unattributed)
        if per_question or name != PER_QUESTION_STEP:
            found = _lines(store, query)
            if name == SME_STEP:
                found |= _lines(store, sme_total(base, found))
            lines |= found
    return lines


def unattributed_answers(page: AnswerFacts, shared: Iterable[tuple]) -> list[tuple[str, str]]:
    """(answer, author) for each answer of a page not attributed to a membership its author
    holds: the rows the "answers without a post" step counts, read from the page's own
    triples and the descriptions it gives the entities graph (the memberships' members), so
    that a rebuild counts them without reading every page again (2.3 s at 100,000 pages)."""
    member = ORG.member
    members = {(s, o) for s, p, o in shared if p == member}
    return sorted(
        (str(s), str(o))
        for s, o in page.authors
        if s in page.answers and not any((m, o) in members for m in page.attributed.get(s, ()))
    )


def unattributed_step(base: str, rows: Iterable[tuple[str, str]]) -> str:
    """The "answers without a post" step over rows (answer, author) pages kept."""
    check_base(base)
    values = " ".join(f"(<{answer}> <{person}>)" for answer, person in sorted(set(rows)))
    return (
        PREFIXES
        + """CONSTRUCT { ?person pg:unattributedAnswerCount ?answers ; pg:describedIn ?page }
WHERE {
  { SELECT ?person (SAMPLE(?g) AS ?page) WHERE { GRAPH ?g { ?person foaf:name ?name } }
    GROUP BY ?person }
  { SELECT ?person (COUNT(DISTINCT ?answer) AS ?answers)
    WHERE { VALUES (?answer ?person) { """
        + values
        + """ } }
    GROUP BY ?person }
}"""
    )


def question_lines(store: ox.Store, base: str, graphs: list[str]) -> set[bytes]:
    """The per-question summary lines of the questions in these page graphs."""
    if not graphs:
        return set()
    return _lines(store, dict(step_queries(base))[PER_QUESTION_STEP], graphs)


def per_question(line: bytes) -> bool:
    return line.split(b" ", 2)[1] in PER_QUESTION_PREDICATES


def take_copy(copy: Path) -> set[bytes] | None:
    """The summary graph's lines as the last build left them, removed from disk before the
    store changes: a build stopped half-way leaves no copy, and the next one starts afresh."""
    if not copy.is_file():
        return None
    lines = set(copy.read_bytes().splitlines())
    copy.unlink()
    return lines


@dataclass
class Rebuilt:
    """What a rebuild tells the summaries: the graph's lines before it (its kept copy), the
    per-question lines of the pages it replaced or removed (taken before they went), the page
    graphs it wrote, and the shared graphs."""

    present: set[bytes]
    stale: set[bytes] | None  # None: too much changed, every step runs on the whole store
    written: list[str]
    shared: list[str]
    entities: str = ""  # the entities graph, among the shared ones
    unattributed: list[tuple[str, str]] | None = None  # every page's rows, if all kept them


def _stated_in(store: ox.Store, ask: str, rebuilt: Rebuilt) -> bool:
    """Whether the shared graphs state what `ask` looks for (the union of all graphs is the
    default graph, as pages and shared graphs together)."""
    query = PREFIXES + ask.replace("<ENTITIES>", f"<{rebuilt.entities}>")
    named = [ox.NamedNode(g) for g in rebuilt.shared]
    return bool(store.query(query, named_graphs=named, use_default_graph_as_union=True))


def _answers_outside_pages(store: ox.Store, rebuilt: Rebuilt) -> bool:
    """Whether a shared graph types an answer or a membership (but the entities graph), or
    gives an answer's author or membership: then the rows pages kept are not the whole."""
    if _stated_in(store, _ANSWERS_OR_MEMBERSHIPS, rebuilt):
        return True
    named = [ox.NamedNode(g) for g in rebuilt.shared]
    subjects = [
        row["a"] for row in store.query(PREFIXES + _AUTHORED_OR_ATTRIBUTED, named_graphs=named)
    ]
    if not subjects:
        return False
    if not all(isinstance(s, ox.NamedNode) for s in subjects):
        return True  # a blank node cannot be listed in VALUES: count from the store
    values = " ".join(str(s) for s in subjects)
    query = PREFIXES + f"ASK {{ VALUES ?a {{ {values} }} ?a a pg:WrittenAnswer }}"
    return bool(store.query(query, use_default_graph_as_union=True))


def refresh_summaries(
    store: ox.Store, base: str, copy: Path | None = None, rebuilt: Rebuilt | None = None
) -> int:
    """Recompute the summary graph from the rest of the store; the number of summary quads.

    Call it after every change to the store (the end of a corpus build, right after
    `load_store`): summaries of a store that changed since are stale. The graph ends up
    exactly as if cleared and rebuilt, but only the triples that changed are written, since
    a write costs far more than a read: after an incremental build, that is a handful. Triples
    travel as N-Triples lines, which pyoxigraph writes and reads without Python objects.

    `copy` is a file that keeps the graph's lines between calls (a corpus build's store
    folder): reading the graph back from the store decodes every term, 5.6 s for the 280,000
    quads of 100,000 pages. The copy is removed before the store changes and written after,
    so a run stopped half-way leaves no copy, and the next one reads the store.

    After a rebuild (`rebuilt`), the per-question lines are recomputed for the pages it wrote
    only, the others kept: at 100,000 pages that step took 8 s of every rebuild.
    """
    graph = summary_graph(base)
    incremental = (
        rebuilt is not None
        and rebuilt.stale is not None
        and not _stated_in(store, _PER_QUESTION_INPUTS, rebuilt)
    )
    if rebuilt is not None and rebuilt.stale is not None and incremental:
        present = rebuilt.present
        kept = {line for line in present if per_question(line)} - rebuilt.stale
        new = question_lines(store, base, rebuilt.written)
        rows = rebuilt.unattributed
        if rows is not None and _answers_outside_pages(store, rebuilt):
            rows = None
        wanted = compute_summaries(store, base, False, rows) | kept | new
    else:
        wanted = compute_summaries(store, base)
        if rebuilt is not None:
            present = rebuilt.present
        elif copy is not None and copy.is_file():
            present = take_copy(copy) or set()
        else:
            present = set(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines())
    gone = sorted(present - wanted)
    for start in range(0, len(gone), 10000):
        chunk = b"\n".join(gone[start : start + 10000]).decode("utf-8")
        store.update(f"DELETE DATA {{ GRAPH {graph} {{\n{chunk}\n}} }}")
    new_lines = b"\n".join(sorted(wanted - present))
    if new_lines:
        store.load(new_lines, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    if copy is not None:
        if gone or new_lines:
            # The copy must not get ahead of writes a crash could still take back. Unchanged,
            # the graph needs no flush, which waits on RocksDB's compactions: 3.5 s of a
            # 30 s rebuild at 100,000 pages, 20 s and more now and then.
            store.flush()
        write_atomic(b"".join(line + b"\n" for line in sorted(wanted)), copy)
    return len(wanted)
