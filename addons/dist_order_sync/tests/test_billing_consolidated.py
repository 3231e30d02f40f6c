# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DistOrderSyncCommon


@tagged("post_install", "-at_install")
class TestBillingConsolidated(DistOrderSyncCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Europe/Brussels"
        cls.customer_consolidated.dist_billing_period = "monthly"

    def test_period_end(self):
        period_end = self.env["dist.billing"]._dist_period_end
        when = datetime(2024, 1, 17, 23, 30)  # Thursday 18 January, 00:30 in Brussels
        self.assertEqual(period_end(self.company, when, "daily"), datetime(2024, 1, 18, 23, 0))
        self.assertEqual(period_end(self.company, when, "weekly"), datetime(2024, 1, 21, 23, 0))
        self.assertEqual(period_end(self.company, when, "monthly"), datetime(2024, 1, 31, 23, 0))

    def test_period_run_one_invoice_per_customer_and_a_separate_credit_note(self):
        with freeze_time("2024-01-10 09:00:00"):
            order_1 = self._create_order(
                self.customer_consolidated, [(self.product, 5.0), (self.product_b, 2.0)]
            )
            delivery_1 = self._deliver(order_1.picking_ids)
        with freeze_time("2024-01-20 09:00:00"):
            order_2 = self._create_order(self.customer_consolidated, [(self.product, 3.0)])
            delivery_2 = self._deliver(order_2.picking_ids)
            returned = self._return(delivery_1, {self.product: 1.0})
        for picking in delivery_1 | delivery_2 | returned:
            self.assertEqual(picking.dist_billing_state, "to_bill")
            self.assertEqual(picking.dist_billing_due, datetime(2024, 1, 31, 23, 0))
        self.assertFalse((order_1 | order_2).invoice_ids, "nothing billed during the period")

        with freeze_time("2024-01-31 22:00:00"):
            self._bill()
        self.assertFalse((order_1 | order_2).invoice_ids)

        with freeze_time("2024-01-31 23:30:00"):
            self._bill()
        invoices = (order_1 | order_2).invoice_ids
        invoice = invoices.filtered(lambda m: m.move_type == "out_invoice")
        credit_note = invoices - invoice
        self.assertEqual(len(invoice), 1, "one invoice for the customer and period")
        self.assertEqual(invoice.partner_id, self.customer_consolidated)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self._invoiced(invoice, self.product), 8.0)
        self.assertEqual(self._invoiced(invoice, self.product_b), 2.0)
        self.assertEqual(invoice.dist_picking_ids, delivery_1 | delivery_2)
        self.assertIn(order_1.name, invoice.invoice_origin)
        self.assertIn(order_2.name, invoice.invoice_origin)
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(self._invoiced(credit_note, self.product), 1.0)
        self.assertEqual(credit_note.dist_picking_ids, returned)
        for picking in delivery_1 | delivery_2 | returned:
            self.assertEqual(picking.dist_billing_state, "billed")
        self.assertEqual(order_1.order_line.mapped("qty_invoiced"), [4.0, 2.0])

    def test_one_invoice_per_payment_terms_and_customer(self):
        other = self._create_customer("Litware", "consolidated")
        with freeze_time("2024-02-05 09:00:00"):
            order_a = self._create_order(self.customer_consolidated)
            order_b = self._create_order(
                self.customer_consolidated, payment_term_id=self.pay_terms_b.id
            )
            order_c = self._create_order(other)
            for order in order_a | order_b | order_c:
                self._deliver(order.picking_ids)
        with freeze_time("2024-03-01 06:00:00"):
            self._bill()
        invoices = (order_a | order_b | order_c).invoice_ids
        self.assertEqual(len(invoices), 3)
        self.assertEqual(order_a.invoice_ids.invoice_payment_term_id, self.pay_terms_a)
        self.assertEqual(order_b.invoice_ids.invoice_payment_term_id, self.pay_terms_b)
        self.assertEqual(order_c.invoice_ids.partner_id, other)

    def test_draft_and_delivery_date_per_customer(self):
        self.customer_consolidated.write(
            {"dist_invoice_post": "draft", "dist_invoice_date": "delivery"}
        )
        with freeze_time("2024-04-03 09:00:00"):
            order_1 = self._create_order(self.customer_consolidated)
            self._deliver(order_1.picking_ids)
        with freeze_time("2024-04-12 09:00:00"):
            order_2 = self._create_order(self.customer_consolidated)
            self._deliver(order_2.picking_ids)
        with freeze_time("2024-05-02 09:00:00"):
            self._bill()
        invoice = order_1.invoice_ids
        self.assertEqual(invoice, order_2.invoice_ids)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(str(invoice.invoice_date), "2024-04-12")

    def test_bill_now_before_the_period_ends(self):
        order = self._create_order(self.customer_consolidated)
        picking = self._deliver(order.picking_ids)
        self.assertEqual(picking.dist_billing_state, "to_bill")
        picking.with_user(self.billing_user).action_dist_retry_billing()
        self.assertEqual(picking.dist_billing_state, "billed")
        self.assertEqual(self._invoiced(order.invoice_ids), 10.0)
