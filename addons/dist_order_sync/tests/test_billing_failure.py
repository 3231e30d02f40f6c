# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests import tagged

from .common import DistOrderSyncCommon


@tagged("post_install", "-at_install")
class TestBillingFailure(DistOrderSyncCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sale_journals = cls.env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("type", "=", "sale")]
        )
        cls.bill_cron = cls.env.ref("dist_order_sync.ir_cron_dist_bill_due")

    def _run_billing_cron(self):
        with self.enter_registry_test_mode():
            self.bill_cron.method_direct_trigger()
        self.env.invalidate_all()

    def _failures(self, picking):
        return self.env["dist.exception"].search(
            [("picking_id", "=", picking.id), ("exception_type", "=", "billing_failure")]
        )

    def test_failure_never_blocks_the_warehouse_and_cron_bills_once_fixed(self):
        self.sale_journals.active = False
        order = self._create_order(self.customer_delivery, [(self.product, 10.0)])
        stock_before = self.product.with_company(self.company).qty_available
        picking = self._deliver(order.picking_ids)

        self.assertEqual(picking.state, "done")
        self.assertEqual(self.product.with_company(self.company).qty_available, stock_before - 10)
        self.assertEqual(order.order_line.qty_delivered, 10.0)
        self.assertFalse(order.invoice_ids, "nothing half-written")
        self.assertEqual(picking.dist_billing_state, "to_bill")
        self.assertEqual(picking.dist_billing_attempts, 1)
        self.assertIn("journal", picking.dist_billing_error.lower())
        exception = self._failures(picking)
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.state, "open")
        self.assertEqual(exception.user_id, self.billing_user)
        self.assertEqual(exception.sale_order_id, order)
        self.assertEqual(exception.partner_id, self.customer_delivery)
        self.assertEqual(exception.description, picking.dist_billing_error)
        self.assertEqual(exception.activity_ids.user_id, self.billing_user)

        # Still broken: the cron tries again, the same exception stays open.
        self._run_billing_cron()
        self.assertEqual(picking.dist_billing_attempts, 2)
        self.assertEqual(self._failures(picking), exception)
        self.assertFalse(order.invoice_ids)

        self.sale_journals.active = True
        self._run_billing_cron()
        self.assertEqual(picking.dist_billing_state, "billed")
        self.assertFalse(picking.dist_billing_error)
        self.assertEqual(len(order.invoice_ids), 1)
        self.assertEqual(self._invoiced(order.invoice_ids), 10.0)
        self.assertEqual(exception.state, "resolved")
        self.assertTrue(exception.resolved_on)
        self.assertFalse(exception.activity_ids)
        # And only once.
        self._run_billing_cron()
        self.assertEqual(len(order.invoice_ids), 1)

    def test_failed_after_retry_limit_then_retry_button(self):
        self.company.dist_billing_retry_limit = 2
        self.sale_journals.active = False
        order = self._create_order(self.customer_delivery)
        picking = self._deliver(order.picking_ids)
        self._bill()
        self.assertEqual(picking.dist_billing_state, "failed")
        # The cron gives up on failed deliveries.
        self._bill()
        self.assertEqual(picking.dist_billing_attempts, 2)

        self.sale_journals.active = True
        picking.with_user(self.billing_user).action_dist_retry_billing()
        self.assertEqual(picking.dist_billing_state, "billed")
        self.assertEqual(len(order.invoice_ids), 1)
        self.assertEqual(self._failures(picking).state, "resolved")

    def test_invoice_not_posted_is_a_failure(self):
        """Another module (a credit-risk check, say) answers the post with a
        wizard: the result is checked, not the return value."""

        def post_asks_for_confirmation(moves):
            return {"type": "ir.actions.act_window", "name": "Credit Risk Check"}

        order = self._create_order(self.customer_delivery)
        with patch.object(self.registry["account.move"], "action_post", post_asks_for_confirmation):
            picking = self._deliver(order.picking_ids)
        self.assertEqual(picking.state, "done")
        self.assertFalse(order.invoice_ids)
        self.assertEqual(picking.dist_billing_state, "to_bill")
        self.assertIn("could not be posted", picking.dist_billing_error)
        self.assertIn("Credit Risk Check", self._failures(picking).description)

    def test_one_failing_order_does_not_stop_the_others(self):
        misc_journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "general")], limit=1
        )
        good = self._create_order(self.customer_delivery)
        bad = self._create_order(self.customer_delivery)
        bad.journal_id = misc_journal
        pickings = (good | bad).picking_ids
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        pickings.with_user(self.stock_user).button_validate()
        self._bill()

        self.assertEqual(set(pickings.mapped("state")), {"done"})
        self.assertEqual(good.picking_ids.dist_billing_state, "billed")
        self.assertEqual(len(good.invoice_ids), 1)
        self.assertEqual(bad.picking_ids.dist_billing_state, "to_bill")
        self.assertFalse(bad.invoice_ids)
        self.assertTrue(self._failures(bad.picking_ids))
        self.assertFalse(self._failures(good.picking_ids))

    def test_pending_credit_note_is_awaiting_approval_not_a_failure(self):
        """A credit note the approval matrix holds in draft is not a failure."""
        self.env["dist.approval.rule"].sudo().create(
            {
                "name": "Every credit note",
                "document_type": "refund",
                "apply_always": True,
                "level": 1,
                "company_id": self.company.id,
                "approver_group_id": self.env.ref("account.group_account_manager").id,
            }
        )
        order = self._create_order(self.customer_delivery)
        delivery = self._deliver(order.picking_ids)
        returned = self._return(delivery, {self.product: 2.0})
        credit_note = returned.dist_invoice_ids
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.approval_state, "pending")
        self.assertEqual(returned.dist_billing_state, "billed")
        self.assertFalse(returned.dist_billing_error)
        self.assertFalse(self._failures(returned))

    def test_unexpected_error_keeps_its_traceback_in_the_log(self):
        order = self._create_order(self.customer_delivery, [(self.product, 2.0)])

        def broken(*args, **kwargs):
            raise ZeroDivisionError("rounding went wrong")

        with (
            patch.object(self.registry["sale.order"], "_create_account_invoices", broken),
            self.assertLogs("odoo.addons.dist_order_sync.models.dist_billing", "ERROR") as logs,
        ):
            picking = self._deliver(order.picking_ids)
        self.assertEqual(picking.state, "done")
        record = logs.records[0]
        self.assertIsInstance(record.exc_info[1], ZeroDivisionError, "the traceback is logged")
        exception = self._failures(picking)
        self.assertEqual(exception.description, "ZeroDivisionError: rounding went wrong")
