# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .dist_exception import SEVERITIES


class DistExceptionRule(models.Model):
    """Who owns an exception type in a company, and how severe it is.

    Without a rule, an exception goes to its default owner: the billing
    responsible for billing failures and unbilled deliveries, the buyer for
    late receipts (the salesperson follows), the transfer's responsible or the
    salesperson otherwise.
    """

    _name = "dist.exception.rule"
    _description = "Exception Routing Rule"
    _order = "company_id, exception_type"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    exception_type = fields.Selection(selection="_selection_exception_type", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        domain=[("share", "=", False)],
        check_company=True,
        help="Owner of every exception of this type; empty: the default owner.",
    )
    severity = fields.Selection(
        SEVERITIES, help="Severity of every exception of this type; empty: as detected."
    )
    active = fields.Boolean(default=True)

    _type_company_uniq = models.Constraint(
        "UNIQUE(company_id, exception_type)",
        "Each exception type has one routing rule per company: edit the existing one.",
    )

    @api.model
    def _selection_exception_type(self):
        return self.env["dist.exception"]._fields["exception_type"].selection

    @api.model
    def _dist_routing(self, company_ids):
        """{(company id, exception type): rule} for these companies."""
        rules = self.sudo().search([("company_id", "in", list(company_ids))])
        return {(rule.company_id.id, rule.exception_type): rule for rule in rules}
