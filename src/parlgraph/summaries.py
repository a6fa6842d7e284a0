"""Summaries of the whole corpus, materialised at build time in their own named graph.

A stored query answers in milliseconds only if it never aggregates, sorts or joins the whole
corpus, so whatever needs the whole corpus (answers per membership, the first answer and the
delay of every question, reported actions backed by a figure, SME participations per project)
is computed once, here, into `<{base}graph/summary>`.

The model restates shared nodes (people, posts, memberships, competences) in the graph of
every page that mentions them, and pyoxigraph's union default graph does not remove
duplicates: a minister's name comes back once per page he answered, and a join of two such
lookups multiplies those copies. The summary graph therefore also states once the few
descriptions that summary queries show (names, post labels and competences, roles, question
dates), with the same properties as the pages. Queries find the graph through its own
`pg:questionCount` statement (`GRAPH ?summary { ?summary pg:questionCount ?n }`), never
through its IRI, so they work under any --base.

Every step is a CONSTRUCT over the named graphs (`GRAPH ?g`: the store's default graph is
not their union here). Joins over corpus-sized sets are joins of sub-selects, which pyoxigraph
evaluates as hash joins instead of one index lookup per row; a subject's copies are read one
property at a time and made distinct before anything is joined to them.
"""

from __future__ import annotations

import pyoxigraph as ox

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
PREFIX skos:    <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd:     <http://www.w3.org/2001/XMLSchema#>
"""


def julian_day(date: str, out: str) -> str:
    """SPARQL binding ?out to the Julian day number of ?date (Fliegel and Van Flandern).

    Integer arithmetic on YEAR, MONTH and DAY, which every SPARQL 1.1 engine has (rdflib
    too); subtracting xsd:date values is an extension that not all engines support.
    """
    a, y, m = f"?{out}_a", f"?{out}_y", f"?{out}_m"
    return (
        f"  BIND (FLOOR((14 - MONTH(?{date})) / 12) AS {a})\n"
        f"  BIND (YEAR(?{date}) + 4800 - {a} AS {y})\n"
        f"  BIND (MONTH(?{date}) + 12 * {a} - 3 AS {m})\n"
        f"  BIND (DAY(?{date}) + FLOOR((153 * {m} + 2) / 5) + 365 * {y} + FLOOR({y} / 4)\n"
        f"        - FLOOR({y} / 100) + FLOOR({y} / 400) - 32045 AS ?{out})\n"
    )


# Answers and the membership each is attributed to (claims and actions are attributed to
# memberships too, hence the join on the answers' type).
_ATTRIBUTED_ANSWERS = """
      { SELECT ?answer WHERE { GRAPH ?g1 { ?answer a pg:WrittenAnswer } } }
      { SELECT ?answer ?membership
        WHERE { GRAPH ?g2 { ?answer prov:wasAttributedTo ?membership } } }"""

# Every membership of a post, once (each page restates the membership of its addressee).
_MEMBERSHIPS = """
    { SELECT DISTINCT ?membership WHERE { GRAPH ?m { ?membership a org:Membership } } }"""

# The post of every membership, once.
_POSTS = (
    """
        { SELECT DISTINCT ?post WHERE {"""
    + _MEMBERSHIPS
    + """
            GRAPH ?g { ?membership org:organization ?post } } }"""
)


def _sme_claims(claim: str) -> str:
    """Claims (bound to ?{claim}) about a ?project's SME participations, with ?lower_bound."""
    return f"""
      {{ SELECT ?{claim}
        WHERE {{ GRAPH ?g1 {{ ?{claim} schema:variableMeasured pg:sme-participations }} }} }}
      {{ SELECT ?{claim} ?project
        WHERE {{ GRAPH ?g2 {{ ?{claim} schema:observationAbout ?project }} }} }}
      OPTIONAL {{ GRAPH ?g3 {{ ?{claim} schema:value ?value }} }}
      OPTIONAL {{ GRAPH ?g4 {{ ?{claim} schema:minValue ?min_value }} }}
      BIND (COALESCE(?min_value, ?value) AS ?lower_bound)
      FILTER EXISTS {{ GRAPH ?g5 {{ ?{claim} a pg:QuantifiedClaim }} }}"""


# (name, CONSTRUCT) pairs; <SUMMARY> stands for the summary graph's IRI. Steps read only the
# other graphs, never each other's output, so they can run in any order.
STEPS: tuple[tuple[str, str], ...] = (
    (
        # The graph's own statement, by which queries find it: how many questions it sums up.
        "question count",
        """
CONSTRUCT { <SUMMARY> pg:questionCount ?questions }
WHERE {
  SELECT (COUNT(DISTINCT ?question) AS ?questions)
  WHERE { GRAPH ?g { ?question a pg:WrittenQuestion } FILTER (?g != <SUMMARY>) }
}""",
    ),
    (
        # answer-delay, unanswered: each question's date (so that scans see questions only,
        # not answers), the date of its first answer and the calendar days in between.
        "questions",
        """
CONSTRUCT {
  ?question eli:date_document ?question_date ;
            pg:firstAnswerDate ?answer_date ;
            pg:delayDays ?days .
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
    SELECT ?question (MIN(?date) AS ?answer_date)
    WHERE {
      { SELECT ?answer ?question WHERE { GRAPH ?g3 { ?answer eli-dl:answers_to ?question } } }
      { SELECT ?answer ?date WHERE { GRAPH ?g4 { ?answer eli:date_document ?date } } }
    }
    GROUP BY ?question
  }
"""
        + julian_day("question_date", "question_day")
        + julian_day("answer_date", "answer_day")
        + """  BIND (xsd:integer(?answer_day - ?question_day) AS ?days)
}""",
    ),
    (
        # Every person's name, once (the smallest if pages spell it differently).
        "names",
        """
CONSTRUCT { ?person foaf:name ?name }
WHERE {
  SELECT ?person (MIN(?each) AS ?name)
  WHERE { SELECT DISTINCT ?person ?each WHERE { GRAPH ?g { ?person foaf:name ?each } } }
  GROUP BY ?person
}""",
    ),
    (
        # minister-portfolio: answers signed in each membership of a post.
        "answers per membership",
        """
CONSTRUCT { ?membership pg:answerCount ?answers }
WHERE {
  SELECT ?membership (COUNT(DISTINCT ?answer) AS ?answers)
  WHERE {"""
        + _ATTRIBUTED_ANSWERS
        + """
  }
  GROUP BY ?membership
}""",
    ),
    (
        # ... who held it, which post, which roles (one property per branch: see above).
        "memberships",
        """
CONSTRUCT { ?membership org:member ?person ; org:organization ?post ; org:role ?role }
WHERE {
  {"""
        + _MEMBERSHIPS
        + """
    GRAPH ?g { ?membership org:member ?person }
  }
  UNION
  {"""
        + _MEMBERSHIPS
        + """
    GRAPH ?g { ?membership org:organization ?post }
  }
  UNION
  {"""
        + _MEMBERSHIPS
        + """
    GRAPH ?g { ?membership org:role ?role }
  }
}""",
    ),
    (
        # ... the post's French label (the smallest if pages differ), its competences and
        # theirs.
        "posts",
        """
CONSTRUCT {
  ?post skos:prefLabel ?post_label ; org:purpose ?competence .
  ?competence skos:prefLabel ?competence_label .
}
WHERE {
  {
    SELECT ?post (MIN(?label) AS ?post_label)
    WHERE {
      SELECT DISTINCT ?post ?label
      WHERE {"""
        + _POSTS
        + """
        GRAPH ?h { ?post skos:prefLabel ?label }
        FILTER (langMatches(lang(?label), "fr"))
      }
    }
    GROUP BY ?post
  }
  UNION
  {
    SELECT DISTINCT ?post ?competence
    WHERE {"""
        + _POSTS
        + """
      GRAPH ?h { ?post org:purpose ?competence }
    }
  }
  UNION
  {
    SELECT ?competence (MIN(?label) AS ?competence_label)
    WHERE {
      SELECT DISTINCT ?competence ?label
      WHERE {
        { SELECT DISTINCT ?competence WHERE {"""
        + _POSTS
        + """
            GRAPH ?h { ?post org:purpose ?competence } } }
        GRAPH ?i { ?competence skos:prefLabel ?label }
        FILTER (langMatches(lang(?label), "fr"))
        FILTER EXISTS { GRAPH ?j { ?competence a pg:Competence } }
      }
    }
    GROUP BY ?competence
  }
}""",
    ),
    (
        # minister-portfolio: answers whose author is not the member of a membership they are
        # attributed to (the page names no post for them), per author.
        "answers without a post",
        """
CONSTRUCT { ?person pg:unattributedAnswerCount ?answers }
WHERE {
  SELECT ?person (COUNT(DISTINCT ?answer) AS ?answers)
  WHERE {
    { SELECT ?answer WHERE { GRAPH ?g1 { ?answer a pg:WrittenAnswer } } }
    { SELECT ?answer ?person WHERE { GRAPH ?g2 { ?answer dcterms:creator ?person } } }
    MINUS {
      { SELECT ?answer ?membership
        WHERE { GRAPH ?g3 { ?answer prov:wasAttributedTo ?membership } } }
      { SELECT DISTINCT ?membership ?person
        WHERE { GRAPH ?g4 { ?membership a org:Membership ; org:member ?person } } }
    }
  }
  GROUP BY ?person
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
        # claim stating it (on a tie, the one whose IRI sorts first); in all, their sum.
        "SME participations",
        """
CONSTRUCT {
  ?project pg:smeParticipationsAtLeast ?most .
  ?claim schema:observationAbout ?project .
  <SUMMARY> pg:smeParticipationsAtLeast ?total .
}
WHERE {
  {
    SELECT ?project ?most (MIN(?each) AS ?claim)
    WHERE {
      { SELECT ?project (MAX(?lower_bound) AS ?most) WHERE {"""
        + _sme_claims("each")
        + """
        } GROUP BY ?project }"""
        + _sme_claims("each")
        + """
      FILTER (?lower_bound = ?most)
    }
    GROUP BY ?project ?most
  }
  UNION
  {
    SELECT (SUM(?most) AS ?total)
    WHERE {
      SELECT ?project (MAX(?lower_bound) AS ?most) WHERE {"""
        + _sme_claims("each")
        + """
      } GROUP BY ?project
    }
  }
}""",
    ),
)


def summary_graph(base: str) -> ox.NamedNode:
    """The name of the summary graph under a dataset base."""
    return ox.NamedNode(check_base(base) + SUMMARY_GRAPH)


def step_queries(base: str) -> list[tuple[str, str]]:
    """Each step's name and CONSTRUCT query, with the summary graph's IRI filled in."""
    graph = summary_graph(base).value
    return [(name, PREFIXES + text.replace("<SUMMARY>", f"<{graph}>")) for name, text in STEPS]


def compute_summaries(store: ox.Store, base: str) -> set[bytes]:
    """The triples the summary graph should hold, as canonical N-Triples lines."""
    lines: set[bytes] = set()
    for _, query in step_queries(base):
        triples = store.query(query)
        lines.update(triples.serialize(format=ox.RdfFormat.N_TRIPLES).splitlines())
    return lines


def refresh_summaries(store: ox.Store, base: str) -> int:
    """Recompute the summary graph from the rest of the store; the number of summary quads.

    Call it after every change to the store (the end of a corpus build, right after
    `load_store`): summaries of a store that changed since are stale. The graph ends up
    exactly as if cleared and rebuilt, but only the triples that changed are written, since
    a write costs far more than a read: after an incremental build, that is a handful. Triples
    travel as N-Triples lines, which pyoxigraph writes and reads without Python objects.
    """
    graph = summary_graph(base)
    wanted = compute_summaries(store, base)
    present = set(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines())
    gone = sorted(present - wanted)
    for start in range(0, len(gone), 10000):
        chunk = b"\n".join(gone[start : start + 10000]).decode("utf-8")
        store.update(f"DELETE DATA {{ GRAPH {graph} {{\n{chunk}\n}} }}")
    new = b"\n".join(sorted(wanted - present))
    if new:
        store.load(new, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    return len(wanted)
