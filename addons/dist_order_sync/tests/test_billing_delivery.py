# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DistOrderSyncCommon, invoice_with_wizard


@tagged("post_install", "-at_install")
class TestBillingDelivery(DistOrderSyncCommon):
    def test_partial_delivery_and_backorder_bill_exact_quantities(self):
        order = self._create_order(
            self.customer_delivery, [(self.product, 10.0), (self.product_b, 4.0)]
        )
        self.assertEqual(order.dist_order_stage, "confirmed")
        first = order.picking_ids
        self._deliver(first, {self.product: 6.0, self.product_b: 4.0})

        invoice = first.dist_invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(self._invoiced(invoice, self.product), 6.0)
        self.assertEqual(self._invoiced(invoice, self.product_b), 4.0)
        self.assertEqual(
            invoice.invoice_line_ids.dist_stock_move_id.picking_id,
            first,
            "every invoice line links back to the delivery",
        )
        self.assertEqual(invoice.dist_picking_ids, first)
        self.assertEqual(first.dist_billing_state, "billed")
        self.assertEqual(order.dist_order_stage, "partially_shipped")

        backorder = order.picking_ids - first
        self.assertEqual(backorder.dist_billing_state, "none")
        self._deliver(backorder)
        second = backorder.dist_invoice_ids
        self.assertEqual(len(second), 1)
        self.assertNotEqual(second, invoice)
        self.assertEqual(self._invoiced(second, self.product), 4.0)
        self.assertEqual(self._invoiced(second, self.product_b), 0.0)
        self.assertEqual(backorder.dist_billing_state, "billed")
        self.assertEqual(order.invoice_ids, invoice | second)
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertEqual(order.dist_order_stage, "invoiced")

    def test_draft_when_customer_does_not_auto_post(self):
        self.customer_delivery.dist_invoice_post = "draft"
        order = self._create_order(self.customer_delivery)
        picking = self._deliver(order.picking_ids)
        self.assertEqual(picking.dist_invoice_ids.state, "draft")
        self.assertEqual(picking.dist_billing_state, "billed")

    def test_company_setting_leaves_draft_customer_setting_posts(self):
        self.company.dist_invoice_auto_post = False
        order = self._create_order(self.customer_delivery)
        self.assertEqual(self._deliver(order.picking_ids).dist_invoice_ids.state, "draft")
        self.customer_delivery.dist_invoice_post = "post"
        order = self._create_order(self.customer_delivery)
        self.assertEqual(self._deliver(order.picking_ids).dist_invoice_ids.state, "posted")

    def test_invoice_date_is_delivery_date(self):
        self.company.dist_invoice_date_delivery = True
        with freeze_time("2024-03-05 10:00:00"):
            order = self._create_order(self.customer_delivery)
            picking = self._deliver(order.picking_ids)
        invoice = picking.dist_invoice_ids
        self.assertEqual(str(invoice.invoice_date), "2024-03-05")
        self.assertEqual(str(invoice.delivery_date), "2024-03-05")

    def test_return_is_credited_for_exact_quantities(self):
        order = self._create_order(self.customer_delivery, [(self.product, 10.0)])
        delivery = self._deliver(order.picking_ids)
        returned = self._return(delivery, {self.product: 3.0})

        credit_note = returned.dist_invoice_ids
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual(self._invoiced(credit_note, self.product), 3.0)
        self.assertEqual(returned.dist_billing_state, "billed")
        line = order.order_line
        self.assertEqual(line.qty_delivered, 7.0)
        self.assertEqual(line.qty_invoiced, 7.0)

    def test_manual_credit_note_does_not_cause_reinvoicing(self):
        """OCA sale-workflow #4104: a credit note lowers the invoiced quantity;
        the delivery must not be invoiced a second time."""
        order = self._create_order(self.customer_delivery, [(self.product, 5.0)])
        delivery = self._deliver(order.picking_ids)
        invoice = delivery.dist_invoice_ids
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.billing_user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "goodwill"})
        )
        reversal.refund_moves()
        self.assertEqual(order.order_line.qty_invoiced, 0.0)
        self.assertEqual(order.order_line.qty_to_invoice, 5.0)

        # Neither the catch-up cron nor an explicit run bills it again.
        self._bill()
        self.assertFalse(self.env["dist.billing"]._dist_bill(delivery))
        self.assertEqual(delivery.dist_invoice_ids, invoice)
        # A later return has nothing left to credit: the customer already was.
        returned = self._return(delivery, {self.product: 2.0})
        self.assertFalse(returned.dist_invoice_ids)
        self.assertEqual(returned.dist_billing_state, "billed")
        out_invoices = order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(out_invoices, invoice)

    def test_billing_twice_bills_once(self):
        order = self._create_order(self.customer_delivery)
        delivery = self._deliver(order.picking_ids)
        invoice = delivery.dist_invoice_ids
        # A retry or a catch-up run on a billed delivery does nothing.
        Billing = self.env["dist.billing"]
        self.assertFalse(Billing._dist_bill(delivery))
        delivery._dist_write_billing({"dist_billing_state": "to_bill"})
        self.assertFalse(Billing._dist_bill(delivery))
        self.assertEqual(delivery.dist_billing_state, "billed")
        self._bill()
        self.assertEqual(order.invoice_ids, invoice)

    def test_cancelled_invoice_makes_delivery_to_bill_again(self):
        order = self._create_order(self.customer_delivery)
        delivery = self._deliver(order.picking_ids)
        invoice = delivery.dist_invoice_ids
        invoice.with_user(self.billing_user).button_draft()
        invoice.with_user(self.billing_user).button_cancel()
        self.assertEqual(delivery.dist_billing_state, "to_bill")
        self._bill()
        new_invoice = delivery.dist_invoice_ids.filtered(lambda m: m.state != "cancel")
        self.assertEqual(len(new_invoice), 1)
        self.assertNotEqual(new_invoice, invoice)
        self.assertEqual(self._invoiced(new_invoice), 10.0)
        self.assertEqual(delivery.dist_billing_state, "billed")

    def test_validation_wakes_the_billing_cron(self):
        cron = self.env.ref("dist_order_sync.ir_cron_dist_bill_due")
        order = self._create_order(self.customer_delivery)
        self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]).unlink()
        picking = self._deliver(order.picking_ids, bill=False)
        self.assertEqual(picking.dist_billing_state, "to_bill")
        self.assertEqual(picking.dist_billing_due, picking.date_done)
        self.assertFalse(picking.dist_invoice_ids)
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            1,
            "the validation wakes the billing cron",
        )
        # Another validation before the cron runs finds it already woken.
        other = self._create_order(self.customer_delivery)
        self._deliver(other.picking_ids, bill=False)
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), 1)
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(picking.dist_billing_state, "billed")
        self.assertEqual(self._invoiced(picking.dist_invoice_ids), 10.0)
        self.assertEqual(other.picking_ids.dist_billing_state, "billed")

    def test_invoice_during_validation(self):
        self.env["ir.config_parameter"].set_param("dist_order_sync.billing_in_request", "1")
        order = self._create_order(self.customer_delivery)
        picking = self._deliver(order.picking_ids, bill=False)
        self.assertEqual(picking.dist_billing_state, "billed")
        self.assertEqual(picking.dist_invoice_ids.state, "posted")
        # A failure inside the validation request is rolled back to its
        # savepoint; the validation stays.
        self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "sale")]
        ).active = False
        order = self._create_order(self.customer_delivery)
        picking = self._deliver(order.picking_ids, bill=False)
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 10.0)
        self.assertEqual(picking.dist_billing_state, "to_bill")
        self.assertFalse(order.invoice_ids)
        self.assertEqual(picking.dist_exception_ids.exception_type, "billing_failure")

    def test_manual_customer_changes_nothing(self):
        cron = self.env.ref("dist_order_sync.ir_cron_dist_bill_due")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        order = self._create_order(self.customer_manual)
        picking = self._deliver(order.picking_ids)
        self.assertEqual(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]), triggers)
        self.assertEqual(picking.dist_billing_state, "none")
        self.assertFalse(picking.dist_billing_policy)
        self.assertFalse(order.invoice_ids)
        self.assertEqual(order.invoice_status, "to invoice")
        self.assertEqual(order.dist_order_stage, "shipped")
        self.assertFalse(self.env["dist.exception"].search([("picking_id", "=", picking.id)]))
        # Odoo's own path is untouched.
        invoice_with_wizard(order, self.salesman)
        self.assertEqual(order.invoice_status, "invoiced")

    def test_manual_customer_validation_costs_no_query(self):
        """With every customer on Manual, validating a delivery runs as many
        queries as without this module's hook."""
        orders = [self._create_order(self.customer_manual) for __ in range(4)]

        def queries(picking):
            picking.move_ids.picked = True
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            picking.with_user(self.stock_user).button_validate()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        def without_hook():
            return patch.object(
                self.registry["dist.billing"],
                "_dist_start",
                lambda billing, pickings: pickings.browse(),
            )

        # Warm both paths up, then count.
        queries(orders[0].picking_ids)
        with without_hook():
            queries(orders[1].picking_ids)
            without_module = queries(orders[2].picking_ids)
        with_module = queries(orders[3].picking_ids)
        self.assertEqual(with_module - without_module, 0)

    def test_partner_policy_follows_company_until_set(self):
        partner = self._create_customer("Adatum", None)
        self.assertEqual(partner.dist_billing_policy, "manual")
        self.company.dist_billing_policy = "delivery"
        partner.invalidate_recordset()
        self.assertEqual(partner.dist_billing_policy, "delivery")
        self.assertIn(
            partner, self.env["res.partner"].search([("dist_billing_policy", "=", "delivery")])
        )
        partner.dist_billing_policy = "consolidated"
        self.assertEqual(partner.dist_billing_policy_own, "consolidated")
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": partner.id})
        order = self._create_order(contact)
        picking = self._deliver(order.picking_ids)
        self.assertEqual(picking.dist_billing_policy, "consolidated")

    def test_roles(self):
        """The warehouse user needs no accounting rights; only invoicing users retry."""
        self.customer_delivery.dist_invoice_post = "draft"
        order = self._create_order(self.customer_delivery)
        picking = self._deliver(order.picking_ids, user=self.stock_user)
        self.assertTrue(picking.dist_invoice_ids)
        picking._dist_write_billing({"dist_billing_state": "to_bill"})
        with self.assertRaises(AccessError):
            picking.with_user(self.stock_user).action_dist_retry_billing()
        picking.with_user(self.billing_user).action_dist_retry_billing()
        self.assertEqual(picking.dist_billing_state, "billed")
        self.assertEqual(len(picking.dist_invoice_ids), 1)
        # The salesman reads the status of the order.
        self.assertEqual(order.with_user(self.salesman).dist_order_stage, "invoiced")
