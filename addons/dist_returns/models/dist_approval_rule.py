# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.dist_approval_matrix import engine

# Days since the goods were delivered, above which a return is outside the
# window; goods delivered longer ago are a riskier return.
engine.THRESHOLDS["return_days_above"] = engine.Threshold(
    "delivery_age",
    lambda days, limit: days > limit,
    lambda new, old: new is None or old is None or new > old,
)

RETURN_FACTS = frozenset(
    {
        "amount",
        "delivery_age",
        "return_reasons",
        "partner_categories",
        "product_categories",
        "warehouse",
        "team",
    }
)


class DistApprovalRule(models.Model):
    """The matrix for returns: value, return window, reason, customer and
    product categories."""

    _inherit = "dist.approval.rule"

    document_type = fields.Selection(
        selection_add=[("return", "Return")], ondelete={"return": "cascade"}
    )
    check_return_days = fields.Boolean("Check Return Window")
    return_days_above = fields.Integer(
        "Delivered More Than (days)",
        aggregator=None,
        help="Returns: triggers when a returned product was delivered more than this "
        "many days ago (outside the return window).",
    )
    return_reason_ids = fields.Many2many(
        "dist.return.reason",
        string="Return Reasons",
        help="Returns: the rule applies when a line is returned for one of these reasons.",
    )

    @api.model
    def _dist_threshold_fields(self):
        return {
            **super()._dist_threshold_fields(),
            "return_days_above": ("return_days_above", "check_return_days"),
        }

    @api.model
    def _dist_scope_fields(self):
        return {**super()._dist_scope_fields(), "return_reason_ids": "return_reasons"}

    @api.model
    def _dist_applicable_facts(self, document_type):
        if document_type == "return":
            return set(RETURN_FACTS)
        return super()._dist_applicable_facts(document_type)

    def _dist_threshold_summary(self, name, limit):
        if name == "return_days_above":
            return self.env._("delivered > %s days ago", limit)
        return super()._dist_threshold_summary(name, limit)

    def _dist_threshold_reason(self, name, limit, facts):
        if name == "return_days_above":
            return self.env._(
                "Delivered %(days)s days ago, outside the %(limit)s-day return window",
                days=facts.get("delivery_age"),
                limit=limit,
            )
        return super()._dist_threshold_reason(name, limit, facts)

    def _dist_scope_text(self):
        text = super()._dist_scope_text()
        if self.return_reason_ids:
            text += " " + self.env._(
                "for returns because %(reasons)s",
                reasons=", ".join(self.return_reason_ids.mapped("name")),
            )
        return text

    @api.constrains("check_return_days", "return_days_above")
    def _check_return_days(self):
        for rule in self:
            if rule.check_return_days and rule.return_days_above < 0:
                raise ValidationError(
                    self.env._(
                        "Rule “%s”: the return window cannot be negative; set 0 to ask "
                        "approval for every return of goods delivered before today.",
                        rule.name,
                    )
                )

    @api.depends("check_return_days", "return_days_above", "return_reason_ids")
    def _compute_summaries(self):
        return super()._compute_summaries()
