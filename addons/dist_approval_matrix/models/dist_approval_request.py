# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .dist_approval_rule import DOCUMENT_TYPES

REQUEST_STATES = [
    ("waiting", "Waiting"),
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]


class DistApprovalRequest(models.Model):
    _name = "dist.approval.request"
    _description = "Approval Request"
    _order = "requested_on, id"

    res_model = fields.Char("Document Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        "Document ID", model_field="res_model", required=True, readonly=True, index=True
    )
    rule_id = fields.Many2one("dist.approval.rule", required=True, readonly=True, index=True)
    document_type = fields.Selection(DOCUMENT_TYPES, required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    level = fields.Integer(required=True, readonly=True)
    state = fields.Selection(
        REQUEST_STATES, default="waiting", required=True, readonly=True, index=True
    )
