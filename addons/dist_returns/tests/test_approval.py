# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnApproval(DistReturnsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approver_group = cls.env.ref("dist_approval_matrix.group_dist_approver")

    def _rule(self, **values):
        return (
            self.env["dist.approval.rule"]
            .sudo()
            .create(
                {
                    "name": "Returns rule",
                    "document_type": "return",
                    "company_id": self.company.id,
                    "approver_group_id": self.approver_group.id,
                    **values,
                }
            )
        )

    def test_no_rule_authorizes_at_once_and_tells_the_customer(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        self.assertFalse(record.approval_state)
        self.assertTrue(record.date_approved)
        bodies = record.message_ids.mapped("body")
        self.assertTrue(any("No approval required" in body for body in bodies), bodies)
        mail = record.message_ids.filtered(
            lambda m: self.customer_manual in m.partner_ids and record.name in (m.subject or "")
        )
        self.assertEqual(len(mail), 1, "the customer gets the RMA number and instructions")
        self.assertIn(record.name, mail.body)

    def test_under_every_threshold_is_approved_and_logged(self):
        self._rule(amount_min=5000.0)
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        self.assertEqual(record.approval_state, "not_required")
        self.assertTrue(any("No approval required" in b for b in record.message_ids.mapped("body")))

    def test_approval_by_value_at_the_invoiced_net_price(self):
        self._rule(amount_min=150.0)
        order = self._delivered_order()
        invoice_line = order.invoice_ids.invoice_line_ids
        self.assertEqual(invoice_line.price_unit, 100.0)
        small = self._authorized(order, {self.product: 1.0})
        self.assertEqual(small.approval_state, "not_required")

        record = self._new_return(order, {self.product: 2.0})
        self.assertEqual(record.amount_untaxed, 200.0)
        result = record.action_submit()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(record.state, "to_approve")
        self.assertEqual(record.approval_state, "pending")
        self.assertFalse(record.return_picking_ids)
        request = record.approval_request_ids
        self.assertIn("200", request.reason)
        # The units on approval are reserved: the cap counts them.
        self.assertEqual(order.order_line.dist_qty_return_authorized, 3.0)

        with self.assertRaises(AccessError):
            request.with_user(self.helpdesk_user).action_approve()
        record.with_user(self.approver).action_dist_approve()
        self.assertEqual(record.state, "approved")
        self.assertEqual(record.approval_state, "approved")
        self.assertEqual(record.return_picking_ids.move_ids.product_uom_qty, 2.0)

    def test_rejection_then_back_to_draft(self):
        self._rule(amount_min=1.0)
        order = self._delivered_order()
        record = self._new_return(order, {self.product: 2.0})
        record.action_submit()
        record.approval_request_ids.with_user(self.approver).action_reject("Outside contract")
        self.assertEqual(record.state, "rejected")
        self.assertEqual(order.order_line.dist_qty_return_authorized, 0.0)
        record.action_draft()
        record.line_ids.quantity = 1.0
        record.action_submit()
        self.assertEqual(record.state, "to_approve")

    def test_an_approval_does_not_outlive_a_cancellation(self):
        self._rule(amount_min=1.0)
        order = self._delivered_order()
        record = self._new_return(order, {self.product: 2.0})
        record.action_submit()
        record.with_user(self.approver).action_dist_approve()
        self.assertEqual(record.state, "approved")
        record.action_cancel()
        record.action_draft()
        record.line_ids.reason_id = self.reason_unwanted
        record.action_submit()
        self.assertEqual(record.state, "to_approve")
        self.assertEqual(record.approval_state, "pending")

    def test_approval_by_return_window(self):
        self._rule(return_days_above=30)
        delivered_on = datetime(2026, 3, 2, 10, 0)
        with freeze_time(delivered_on):
            order = self._delivered_order()
        with freeze_time(delivered_on + timedelta(days=20)):
            inside = self._authorized(order, {self.product: 1.0})
            self.assertEqual(inside.approval_state, "not_required")
        with freeze_time(delivered_on + timedelta(days=45)):
            outside = self._new_return(order, {self.product: 1.0})
            outside.action_submit()
            self.assertEqual(outside.state, "to_approve")
            request = outside.approval_request_ids
            self.assertIn("45 days ago", request.reason)
            self.assertEqual(request.facts["delivery_age"], 45)

    def test_rule_scoped_to_a_reason_and_a_product_category(self):
        category = self.env["product.category"].create({"name": "Fragile returns"})
        self.product_b.categ_id = category
        self._rule(
            apply_always=True,
            return_reason_ids=[Command.set(self.reason_defect.ids)],
            product_category_ids=[Command.set(category.ids)],
        )
        order = self._delivered_order(lines=[(self.product, 5.0), (self.product_b, 5.0)])
        plain = self._authorized(order, {self.product_b: 1.0})
        self.assertEqual(plain.approval_state, "not_required")
        other_product = self._authorized(order, {self.product: 1.0}, reason=self.reason_defect)
        self.assertEqual(other_product.approval_state, "not_required")
        held = self._new_return(order, {self.product_b: 1.0}, reason=self.reason_defect)
        held.action_submit()
        self.assertEqual(held.state, "to_approve")
        self.assertIn(self.reason_defect.name, held.approval_request_ids.reason)

    def test_evidence_required_by_the_reason(self):
        order = self._delivered_order()
        record = self._new_return(order, {self.product: 1.0}, reason=self.reason_damaged)
        with self.assertRaises(UserError) as caught:
            record.action_submit()
        self.assertIn("a photo of the damage", str(caught.exception))
        self.assertEqual(record.state, "draft")
        self._attach(record)
        record.action_submit()
        self.assertEqual(record.state, "approved")
        self.assertEqual(record.attachment_count, 1)

    def test_evidence_required_by_a_rule(self):
        self._rule(amount_min=150.0, evidence_required=True, evidence_label="the carrier's report")
        order = self._delivered_order()
        below = self._authorized(order, {self.product: 1.0})
        self.assertEqual(below.attachment_count, 0)
        record = self._new_return(order, {self.product: 2.0})
        with self.assertRaises(UserError) as caught:
            record.action_submit()
        self.assertIn("the carrier's report", str(caught.exception))
        self._attach(record)
        record.action_submit()
        self.assertEqual(record.state, "to_approve")

    def test_simulation_of_a_return(self):
        self._rule(return_days_above=30)
        simulation = (
            self.env["dist.approval.simulation"]
            .sudo()
            .create({"document_type": "return", "mode": "facts", "delivery_age": 31})
        )
        self.assertIn("Returns rule", simulation.result_html)
        simulation.delivery_age = 10
        self.assertIn("No rule triggers", simulation.result_html)
