# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DistApprovalSimulation(models.TransientModel):
    _inherit = "dist.approval.simulation"

    return_id = fields.Many2one("dist.return", domain=[("state", "in", ("draft", "to_approve"))])
    delivery_age = fields.Integer("Delivered (days ago)")
    return_reason_ids = fields.Many2many("dist.return.reason", string="Return Reasons")

    @api.model
    def _dist_document_fields(self):
        return {**super()._dist_document_fields(), "return": "return_id"}

    def _facts(self):
        return {
            **super()._facts(),
            "delivery_age": self.delivery_age,
            "return_reasons": self.return_reason_ids.ids,
        }

    @api.depends("return_id", "delivery_age", "return_reason_ids")
    def _compute_result_html(self):
        return super()._compute_result_html()
