# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnsTour(DistReturnsCommon, HttpCase):
    def test_ticket_to_credit_note(self):
        reason = (
            self.env["dist.return.reason"]
            .sudo()
            .create(
                {
                    "name": "Tour: damaged",
                    "default_disposition": "restock",
                    "requires_evidence": True,
                    "evidence_label": "a photo",
                }
            )
        )
        self.env["dist.approval.rule"].sudo().create(
            {
                "name": "Damaged goods need a look",
                "document_type": "return",
                "apply_always": True,
                "return_reason_ids": [Command.set(reason.ids)],
                "approver_group_id": self.env.ref("dist_approval_matrix.group_dist_approver").id,
            }
        )
        self.team.dist_return_done_stage_id.sudo().name = "Tour: settled"
        self._delivered_order(lines=[(self.product, 10.0)])
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.helpdesk_user)
            .create(
                {
                    "name": "Two crates arrived broken",
                    "description": "<p>Photo attached to the e-mail.</p>",
                    "partner_id": self.customer_manual.id,
                    "team_id": self.team.id,
                }
            )
        )

        self.start_tour(
            f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{ticket.id}",
            "dist_returns_ticket_to_return",
            login=self.helpdesk_user.login,
        )
        record = ticket.dist_return_ids
        self.assertEqual(record.state, "to_approve")
        self.assertEqual(record.line_ids.quantity, 2.0)
        self.assertEqual(record.attachment_count, 1)

        # The approver approves, the warehouse receives, inspects (restock) and resolves.
        stock = self._on_hand(self.product)
        record.with_user(self.approver).action_dist_approve()
        self.assertEqual(record.state, "approved")
        self._receive(record)
        self._inspect(record, {self.product: 2.0})
        self.assertEqual(record.line_ids.disposition, "restock")
        self._resolve(record)
        self.assertEqual(record.state, "done")
        self.assertEqual(self._on_hand(self.product), stock + 2.0)
        self.assertEqual(record.credit_note_ids.state, "posted")

        self.start_tour(
            f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{ticket.id}",
            "dist_returns_ticket_shows_credit",
            login=self.helpdesk_user.login,
        )
