# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dist_return_unresolved_days = fields.Integer(
        related="company_id.dist_return_unresolved_days", readonly=False
    )
    dist_return_notify_customer = fields.Boolean(
        related="company_id.dist_return_notify_customer", readonly=False
    )
    dist_delivery_issue_team_id = fields.Many2one(
        related="company_id.dist_delivery_issue_team_id", readonly=False
    )
