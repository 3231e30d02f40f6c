# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approval matrix as plain data: which rules trigger on which facts.

No Odoo import: rules arrive as ``RuleSpec`` tuples (built once per company
and document type by ``dist.approval.rule``) and documents as dicts of
facts, so the matching logic is tested without a database.

A rule triggers on a document when the document is in the rule's scope
(each scope the rule sets shares an id with the document's facts) and every
threshold the rule sets holds. Addons add thresholds with ``THRESHOLDS``.
"""

from collections import namedtuple

RuleSpec = namedtuple("RuleSpec", "id level sequence scope thresholds needed")
RuleSpec.__doc__ = """What matching needs of one rule.

``scope``: ((fact, frozenset of ids), ...); ``thresholds``: ((name, limit),
...) with names from ``THRESHOLDS``; ``needed``: the threshold facts read.
"""

Threshold = namedtuple("Threshold", "fact test worse")
Threshold.__doc__ = """One kind of threshold: the fact it reads, ``test(value, limit)``
whether it holds, and ``worse(new, old)`` whether a new value of the fact is
riskier than an old one (an approval given on ``old`` does not cover ``new``).
"""


def _more(key=None):
    def worse(new, old):
        if key:
            new, old = (new or {}).get(key), (old or {}).get(key)
        return new is None or old is None or new > old

    return worse


def _less(new, old):
    return new is None or old is None or new < old


# name -> Threshold(fact read, test, worse)
THRESHOLDS = {
    "amount_min": Threshold("amount", lambda amount, limit: amount >= limit, _more()),
    "amount_max": Threshold("amount", lambda amount, limit: amount <= limit, _more()),
    "discount_above": Threshold("discount", lambda discount, limit: discount > limit, _more()),
    "margin_below": Threshold("margin", lambda margin, limit: margin < limit, _less),
    "credit": Threshold("credit", lambda credit, _limit: bool(credit["exceeded"]), _more("total")),
    "overdue_days_above": Threshold(
        "overdue", lambda overdue, limit: overdue["days"] > limit, _more("days")
    ),
    "adjustment_value_above": Threshold(
        "adjustment", lambda adjustment, limit: adjustment["value"] > limit, _more("value")
    ),
}


def in_scope(spec, facts):
    """Whether each scope the rule sets shares an id with the document's facts."""
    for fact, ids in spec.scope:
        value = facts.get(fact)
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        if not ids.intersection(values):
            return False
    return True


def holds(spec, facts):
    """Whether every threshold the rule sets holds on these facts."""
    return all(
        THRESHOLDS[name].test(facts[THRESHOLDS[name].fact], limit)
        for name, limit in spec.thresholds
    )


def evaluate(specs_by_key, facts_of):
    """The rules triggering on each document, and the facts they were read on.

    ``specs_by_key`` maps a document key to the specs of its matrix;
    ``facts_of(keys, needed)`` returns ``{key: {fact: value}}`` for the
    named facts. Scope facts are asked first, for every document; threshold
    facts only for documents some rule's scope reaches, and only those the
    rules in scope read.

    :return: {key: ([triggered spec, ...], facts)}
    """
    keys = list(specs_by_key)
    facts = {key: {} for key in keys}
    scope_needed = {
        fact for specs in specs_by_key.values() for spec in specs for fact, _ids in spec.scope
    }
    if scope_needed and keys:
        for key, values in facts_of(keys, scope_needed).items():
            facts[key].update(values)
    reached = {key: [s for s in specs_by_key[key] if in_scope(s, facts[key])] for key in keys}
    needed = {fact for specs in reached.values() for spec in specs for fact in spec.needed}
    reached_keys = [key for key in keys if reached[key]]
    if reached_keys and needed:
        for key, values in facts_of(reached_keys, needed).items():
            facts[key].update(values)
    return {key: ([s for s in reached[key] if holds(s, facts[key])], facts[key]) for key in keys}


def covered(spec, facts, approved_facts):
    """Whether an approval of ``spec`` given on ``approved_facts`` still covers
    a document that now has ``facts``: none of the rule's facts got worse."""
    if approved_facts is None:
        return False
    return not any(
        THRESHOLDS[name].worse(
            facts.get(THRESHOLDS[name].fact), approved_facts.get(THRESHOLDS[name].fact)
        )
        for name, _limit in spec.thresholds
    )
