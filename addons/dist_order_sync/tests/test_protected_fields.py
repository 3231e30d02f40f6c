# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistOrderSyncCommon


@tagged("post_install", "-at_install")
class TestProtectedFields(DistOrderSyncCommon):
    """What the suite derives (billing state, billed moves, order status) is
    written by its own code only: no user, import or API call sets it."""

    def test_billing_facts_are_the_system_s(self):
        order = self._create_order(self.customer_delivery)
        delivery = self._deliver(order.picking_ids, quantities={self.product: 4.0})
        invoice = delivery.dist_invoice_ids
        self.assertEqual(delivery.dist_billing_state, "billed")
        for vals in (
            {"dist_billing_state": "to_bill"},
            {"dist_billing_state": "billed", "dist_billing_due": False},
            {"dist_billing_error": "nothing"},
            {"dist_billing_attempts": 0},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "Retry Billing"):
                delivery.with_user(self.stock_user).write(vals)
        # An open backorder cannot be hidden from billing and the scanner either.
        backorder = order.picking_ids - delivery
        with self.assertRaisesRegex(UserError, "Retry Billing"):
            backorder.with_user(self.manager).write({"dist_billing_state": "billed"})
        # Nor can a manual invoice line claim the delivered move as billed.
        line = invoice.invoice_line_ids[:1]
        with self.assertRaisesRegex(UserError, "Distribution Control itself"):
            line.with_user(self.billing_user).write({"dist_stock_move_id": False})
        self.assertEqual(line.dist_stock_move_id.picking_id, delivery)

    def test_order_status_is_derived(self):
        order = self._create_order(self.customer_manual)
        with self.assertRaisesRegex(UserError, "Distribution Control itself"):
            order.with_user(self.salesman).write({"dist_order_stage": "paid"})
        self.assertEqual(order.dist_order_stage, "confirmed")

    def test_failed_billing_is_retried_through_its_button(self):
        order = self._create_order(self.customer_delivery)
        delivery = self._deliver(order.picking_ids, bill=False)
        self.assertEqual(delivery.dist_billing_state, "to_bill")
        delivery.with_user(self.billing_user).action_dist_retry_billing()
        self.assertEqual(delivery.dist_billing_state, "billed")
