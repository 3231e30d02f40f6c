# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnReplace(DistReturnsCommon):
    def test_replacement_adds_no_order_line_and_no_invoice(self):
        order = self._delivered_order(lines=[(self.product, 10.0)])
        invoices = order.invoice_ids
        line = order.order_line
        record = self._authorized(order, {self.product: 3.0}, resolution="replace")
        self._receive(record)
        self._resolve(self._inspect(record, {self.product: 2.0}))
        self.assertEqual(record.state, "done")
        replacement = record.replacement_picking_ids
        self.assertEqual(len(replacement), 1)
        self.assertEqual(replacement.picking_type_code, "outgoing")
        self.assertEqual(replacement.sale_id, order)
        self.assertEqual(replacement.move_ids.product_uom_qty, 2.0)
        self.assertEqual(replacement.move_ids.sale_line_id, line)
        self.assertEqual(replacement.state, "assigned")
        self.assertEqual(order.order_line, line, "no new order line")
        self.assertFalse(record.credit_note_ids)

        self._deliver(replacement)
        self._deliver(
            record.operation_picking_ids.filtered(lambda p: p.dist_return_role == "ship_back")
        )
        self.assertEqual(line.qty_delivered, 10.0)
        self.assertEqual(line.qty_invoiced, 10.0)
        self.assertEqual(line.qty_to_invoice, 0.0)
        self.assertEqual(order.invoice_ids, invoices, "no new invoice")
        self.assertEqual(record.line_ids.quantity_replaced, 2.0)

    def test_replacement_is_its_own_delivery(self):
        order = self._create_order(self.customer_manual, [(self.product, 10.0)])
        self._deliver(order.picking_ids, {self.product: 6.0}, backorder=True)
        backorder = order.picking_ids.filtered(lambda p: p.state != "done")
        record = self._authorized(order, {self.product: 2.0}, resolution="replace")
        self._receive(record)
        self._resolve(record)
        replacement = record.replacement_picking_ids
        self.assertTrue(replacement)
        self.assertNotEqual(replacement, backorder, "not merged into the open backorder")
        self.assertEqual(backorder.move_ids.product_uom_qty, 4.0)

    def test_replacement_of_credited_goods_is_billed_per_policy(self):
        order = self._delivered_order(self.customer_delivery, [(self.product, 10.0)])
        record = self._authorized(order, {self.product: 2.0}, resolution="replace")
        self._receive(record)
        # Someone credited the returned units by hand before the replacement left.
        credit = order._create_invoices(final=True)
        credit.action_post()
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(order.order_line.qty_invoiced, 8.0)
        self._resolve(record)
        replacement = record.replacement_picking_ids
        self._deliver(replacement)
        self.assertEqual(replacement.dist_billing_state, "billed")
        self.assertEqual(self._invoiced(replacement.sudo().dist_invoice_ids), 2.0)
        self.assertEqual(order.order_line.qty_invoiced, 10.0)
        self.assertEqual(order.order_line.qty_delivered, 10.0)
