# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

APPROVAL_STATES = [
    ("not_required", "Not Required"),
    ("pending", "Pending Approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


class DistApprovalMixin(models.AbstractModel):
    """Gives a document an approval state driven by the approval matrix."""

    _name = "dist.approval.mixin"
    _description = "Approval Matrix Document"

    approval_state = fields.Selection(
        APPROVAL_STATES,
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Empty until the approval matrix has evaluated the document.",
    )
    approval_request_ids = fields.One2many(
        "dist.approval.request",
        "res_id",
        domain=lambda self: [("res_model", "=", self._name)],
        string="Approval Requests",
        copy=False,
    )
