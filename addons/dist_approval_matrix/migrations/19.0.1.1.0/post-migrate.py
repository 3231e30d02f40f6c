# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""19.0.1.1.0: a threshold whose value is set is a condition.

Before, a rule created by an import or an API call with ``discount_above``
(or ``margin_below``, ``overdue_days_above``, ``adjustment_value_above``)
but without its switch ignored the value and held every document. Switch
such thresholds on. Rules left without any threshold held every document
of their scope: say so explicitly with ``apply_always``. Each change is
logged.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    Rule = env["dist.approval.rule"]
    for rule in Rule.search([]):
        switched = {}
        for field, switch in Rule._dist_threshold_fields().values():
            if switch and rule[field] and not rule[switch]:
                switched[switch] = True
        if switched:
            _logger.warning(
                "Approval rule %s (id %s): its threshold(s) %s had a value but were off; "
                "switched on: the rule now holds only the documents past them.",
                rule.name,
                rule.id,
                ", ".join(sorted(switched)),
            )
            rule.write(switched)
        if not rule._dist_thresholds() and not rule.apply_always:
            _logger.warning(
                "Approval rule %s (id %s) has no threshold and held every document of "
                "its scope: marked 'Every Document in Scope' to keep doing so.",
                rule.name,
                rule.id,
            )
            rule.write({"apply_always": True})
