# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DistApprovalDecision(models.TransientModel):
    """Approve, reject or override one or more requests with a note."""

    _name = "dist.approval.decision"
    _description = "Approval Decision"

    request_ids = fields.Many2many("dist.approval.request", required=True)
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject"), ("override", "Override")],
        required=True,
        default="approve",
    )
    note = fields.Text(
        help="Optional when approving; mandatory to reject or override.",
    )

    def action_confirm(self):
        self.ensure_one()
        requests = self.request_ids
        if self.decision == "approve":
            requests.action_approve(note=self.note)
        elif self.decision == "reject":
            requests.action_reject(self.note)
        else:
            requests.action_override(self.note)
        return {"type": "ir.actions.act_window_close"}
