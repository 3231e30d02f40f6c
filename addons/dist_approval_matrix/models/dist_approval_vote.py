# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DistApprovalVote(models.Model):
    """One approval given on a request (several when N of M are required)."""

    _name = "dist.approval.vote"
    _description = "Approval Vote"
    _order = "create_date, id"

    request_id = fields.Many2one(
        "dist.approval.request", required=True, readonly=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", "Decided By", required=True, readonly=True, default=lambda s: s.env.user
    )
    on_behalf_of_id = fields.Many2one("res.users", readonly=True)
    note = fields.Text(readonly=True)
    is_override = fields.Boolean("Override", readonly=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True)
