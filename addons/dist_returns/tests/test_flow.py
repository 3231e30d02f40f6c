# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnFlow(DistReturnsCommon):
    def test_refund_flow_restock(self):
        order = self._delivered_order(lines=[(self.product, 10.0), (self.product_b, 5.0)])
        line = order.order_line.filtered(lambda sol: sol.product_id == self.product)
        self.assertEqual(line.qty_delivered, 10.0)
        self.assertEqual(line.qty_invoiced, 10.0)
        stock_before = self._on_hand(self.product)

        record = self._authorized(order, {self.product: 2.0})
        self.assertFalse(record.approval_state)
        picking = record.return_picking_ids
        self.assertEqual(picking.location_dest_id, self.returns_location)
        self.assertEqual(picking.move_ids.product_uom_qty, 2.0)
        self.assertEqual(line.dist_qty_return_authorized, 2.0)

        self._receive(record)
        self.assertEqual(record.state, "received")
        self.assertEqual(record.line_ids.quantity_received, 2.0)
        self.assertEqual(line.qty_delivered, 8.0)
        self.assertEqual(line.dist_qty_return_authorized, 0.0)
        self.assertEqual(self._on_hand(self.product, self.returns_location), 2.0)

        self._inspect(record, {self.product: 2.0})
        self._resolve(record)
        self.assertEqual(record.state, "done")
        note = record.credit_note_ids
        self.assertEqual(len(note), 1)
        self.assertEqual(note.move_type, "out_refund")
        self.assertEqual(note.invoice_line_ids.quantity, 2.0)
        self.assertEqual(line.qty_invoiced, 8.0)
        self.assertEqual(line.qty_delivered, 8.0)
        self.assertEqual(self._on_hand(self.product), stock_before + 2.0)
        self.assertEqual(self._on_hand(self.product, self.returns_location), 0.0)
