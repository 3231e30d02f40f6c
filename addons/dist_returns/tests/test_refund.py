# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import Form, tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnRefund(DistReturnsCommon):
    def _credit_lines(self, record):
        return record.credit_note_ids.invoice_line_ids.filtered(lambda aml: aml.sale_line_ids)

    def test_credit_at_the_invoice_net_price_with_discount_and_fiscal_position(self):
        self.customer_manual.property_account_position_id = self.fiscal_pos_a
        order = self._create_order(self.customer_manual, [(self.product, 10.0)])
        order.order_line.discount = 10.0
        self._deliver(order.picking_ids)
        invoice = order._create_invoices()
        # The accountant invoiced at another price than the order's: that is what
        # the customer paid, so that is what is credited.
        with Form(invoice.with_user(self.billing_user)) as form:
            with form.invoice_line_ids.edit(0) as line:
                line.price_unit = 90.0
        invoice.with_user(self.billing_user).action_post()
        original = invoice.invoice_line_ids
        self.assertEqual(original.tax_ids, self.tax_sale_b)
        self.product.list_price = 500.0

        record = self._authorized(order, {self.product: 3.0})
        self.assertEqual(record.amount_untaxed, 243.0, "3 x 90 less 10%")
        self._receive(record)
        self._resolve(self._inspect(record, {self.product: 2.0}))
        note = record.credit_note_ids
        self.assertEqual(record.state, "done")
        self.assertEqual(note.state, "posted")
        self.assertEqual(note.reversed_entry_id, invoice)
        self.assertEqual(note.fiscal_position_id, self.fiscal_pos_a)
        line = self._credit_lines(record)
        self.assertEqual(line.quantity, 2.0)
        self.assertEqual(line.price_unit, 90.0)
        self.assertEqual(line.discount, 10.0)
        self.assertEqual(line.tax_ids, original.tax_ids)
        self.assertAlmostEqual(note.amount_untaxed, 162.0)
        self.assertAlmostEqual(note.amount_untaxed, original.price_subtotal / 10.0 * 2.0)
        self.assertEqual(line.sale_line_ids, order.order_line)
        self.assertEqual(order.order_line.qty_invoiced, 8.0)
        self.assertEqual(record.line_ids.quantity_credited, 2.0)
        self.assertEqual(record.ticket_id.id, False)

    def test_credit_in_the_invoice_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        pricelist = self.env["product.pricelist"].create({"name": "Euro", "currency_id": eur.id})
        order = self._delivered_order(lines=[(self.product, 4.0)], pricelist_id=pricelist.id)
        invoice = order.invoice_ids
        self.assertEqual(invoice.currency_id, eur)
        price = invoice.invoice_line_ids.price_unit
        # The rate moved since the invoice: the credit stays in euros at the invoiced price.
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "rate": 0.25, "name": "2001-01-01"}
        )
        record = self._authorized(order, {self.product: 2.0})
        self.assertAlmostEqual(record.amount_untaxed, price * 2.0 / 0.5, msg="at the invoice rate")
        self._receive(record)
        self._resolve(self._inspect(record, {self.product: 2.0}))
        note = record.credit_note_ids
        self.assertEqual(note.currency_id, eur)
        self.assertEqual(self._credit_lines(record).price_unit, price)
        self.assertAlmostEqual(note.amount_untaxed, price * 2.0)

    def test_restocking_fee_of_the_reason(self):
        order = self._delivered_order(lines=[(self.product, 10.0)])
        record = self._authorized(order, {self.product: 4.0}, reason=self.reason_fee)
        self._receive(record)
        self._resolve(record)
        note = record.credit_note_ids
        fee = note.invoice_line_ids.filtered(
            lambda aml: aml.product_id == self.env.ref("dist_returns.product_restocking_fee")
        )
        self.assertEqual(fee.price_unit, -40.0, "10% of 4 x 100")
        self.assertFalse(fee.sale_line_ids)
        self.assertAlmostEqual(note.amount_untaxed, 360.0)
        self.assertEqual(order.order_line.qty_invoiced, 6.0)

    def test_retry_never_credits_twice(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        self._receive(record)
        self._resolve(record)
        self.assertEqual(len(record.credit_note_ids), 1)
        receipts = record.return_picking_ids.sudo()
        self.assertEqual(receipts.dist_billing_state, "billed")
        Billing = self.env["dist.billing"].sudo()
        receipts._dist_write_billing({"dist_billing_state": "to_bill"})
        Billing._dist_bill(receipts)
        record.sudo()._dist_request_credit()
        self._bill()
        self.assertEqual(len(record.credit_note_ids), 1)
        self.assertEqual(order.order_line.qty_invoiced, 8.0)
        self.assertEqual(receipts.dist_billing_state, "billed")

    def test_billing_failure_becomes_an_exception_and_the_retry_credits(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        self._receive(record)
        journals = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "sale")]
        )
        journals.active = False
        record.with_user(self.stock_user).action_resolve()
        self.assertEqual(record.state, "received", "not done before the credit exists")
        self.assertTrue(record.billing_error)
        self.assertEqual(record.operation_picking_ids.state, "done", "the restock is kept")
        receipt = record.return_picking_ids
        exception = receipt.dist_exception_ids
        self.assertEqual(exception.exception_type, "billing_failure")
        self.assertFalse(record.credit_note_ids)

        journals.active = True
        self._bill()
        self.assertEqual(record.state, "done")
        self.assertEqual(len(record.credit_note_ids), 1)
        self.assertEqual(exception.state, "resolved")
        self.assertEqual(order.order_line.qty_invoiced, 8.0)

    def test_delivery_billed_customer_is_credited_for_accepted_units_only(self):
        order = self._delivered_order(self.customer_delivery, [(self.product, 10.0)])
        self.assertEqual(order.order_line.qty_invoiced, 10.0)
        record = self._authorized(order, {self.product: 3.0})
        receipt = self._receive(record)
        self._bill()
        self.assertEqual(receipt.dist_billing_state, "none", "not credited at receipt")
        self.assertFalse(receipt.dist_invoice_ids)
        self._resolve(self._inspect(record, {self.product: 1.0}))
        self.assertEqual(self._credit_lines(record).quantity, 1.0)
        self.assertEqual(order.order_line.qty_invoiced, 9.0)
        back = record.operation_picking_ids.filtered(lambda p: p.dist_return_role == "ship_back")
        self._deliver(back)
        self.assertEqual(order.order_line.qty_delivered, 9.0)
        self.assertEqual(
            order.order_line.qty_invoiced, 9.0, "the units shipped back are not billed"
        )
        self.assertEqual(len(order.invoice_ids), 2)

    def test_nothing_invoiced_nothing_credited(self):
        order = self._delivered_order(lines=[(self.product, 10.0)], invoice=False)
        record = self._authorized(order, {self.product: 2.0})
        self._receive(record)
        self._resolve(record)
        self.assertEqual(record.state, "done")
        self.assertFalse(record.credit_note_ids)
        self.assertEqual(order.order_line.qty_delivered, 8.0)
        self.assertEqual(order.order_line.qty_to_invoice, 8.0)

    def test_everything_rejected_credits_nothing(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0}, ship_back_rejected=False)
        self._receive(record)
        self._resolve(self._inspect(record, {self.product: 0.0}))
        self.assertEqual(record.state, "done")
        self.assertFalse(record.credit_note_ids)
        self.assertFalse(record.operation_picking_ids)
        self.assertEqual(self._on_hand(self.product, self.returns_location), 2.0)

    def test_credit_note_held_by_the_refund_matrix(self):
        self.env["dist.approval.rule"].sudo().create(
            {
                "name": "Credit notes",
                "document_type": "refund",
                "amount_min": 1.0,
                "approver_group_id": self.env.ref("account.group_account_manager").id,
            }
        )
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        self._receive(record)
        self._resolve(record)
        note = record.credit_note_ids
        self.assertEqual(note.state, "draft")
        self.assertEqual(note.approval_state, "pending")
        self.assertEqual(record.state, "done")
        self.assertEqual(len(note), 1)

    def test_two_returns_of_one_order_get_their_own_credit_notes(self):
        order = self._delivered_order(lines=[(self.product, 10.0), (self.product_b, 6.0)])
        first = self._authorized(order, {self.product: 2.0})
        second = self._authorized(order, {self.product: 1.0, self.product_b: 3.0})
        self._receive(first)
        self._receive(second)
        (first | second).with_user(self.stock_user).action_resolve()
        self.assertEqual(len(first.credit_note_ids), 1)
        self.assertEqual(len(second.credit_note_ids), 1)
        self.assertNotEqual(first.credit_note_ids, second.credit_note_ids)
        self.assertEqual(self._credit_lines(second).mapped("quantity"), [1.0, 3.0])
        self.assertEqual(order.order_line.mapped("qty_invoiced"), [7.0, 3.0])
        self.assertEqual(order.order_line.mapped("qty_delivered"), [7.0, 3.0])
        self.assertEqual(order.invoice_status, "invoiced")
        self.assertIn(first, first.credit_note_ids.dist_return_ids)
        self.assertEqual(order.order_line.mapped("qty_to_invoice"), [0.0, 0.0])
        # Odoo's invoicing wizard has nothing left to invoice on the order.
        self.assertFalse(order.order_line.filtered(lambda sol: sol.qty_to_invoice))
