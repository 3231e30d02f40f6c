# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnReceipt(DistReturnsCommon):
    def test_returns_location_per_warehouse(self):
        self.assertEqual(self.returns_location.usage, "internal")
        self.assertEqual(self.returns_location.warehouse_id, self.warehouse)
        warehouse = (
            self.env["stock.warehouse"].sudo().create({"name": "North Depot", "code": "NDP"})
        )
        self.assertEqual(warehouse.dist_return_location_id.location_id, warehouse.view_location_id)
        self.assertEqual(warehouse.dist_return_location_id.warehouse_id, warehouse)

    def test_partial_receipt_keeps_the_rest_expected(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 5.0})
        first = self._receive(record, {self.product: 3.0}, backorder=True)
        self.assertEqual(record.state, "approved", "two units are still expected")
        self.assertEqual(record.line_ids.quantity_received, 3.0)
        self.assertEqual(order.order_line.qty_delivered, 7.0)
        self.assertEqual(order.order_line.dist_qty_return_authorized, 2.0)
        backorder = record.return_picking_ids - first
        self.assertEqual(backorder.dist_return_role, "receipt")
        self.assertEqual(backorder.move_ids.product_uom_qty, 2.0)

        self._receive(record)
        self.assertEqual(record.state, "received")
        self.assertEqual(record.line_ids.quantity_received, 5.0)
        self.assertEqual(record.line_ids.quantity_accepted, 5.0, "accepted defaults to received")
        self.assertEqual(order.order_line.dist_qty_return_authorized, 0.0)

    def test_each_return_of_one_delivery_keeps_its_reservation(self):
        order = self._delivered_order()
        first = self._authorized(order, {self.product: 2.0})
        second = self._authorized(order, {self.product: 3.0})
        # Odoo's return wizard unreserves earlier returns of the same delivery.
        self.assertEqual(first.return_picking_ids.move_ids.quantity, 2.0)
        self.assertEqual(second.return_picking_ids.move_ids.quantity, 3.0)
        (first | second).return_picking_ids.with_user(self.stock_user).button_validate()
        self.assertEqual((first | second).mapped("state"), ["received", "received"])

    def test_rest_closed_with_a_note(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 5.0})
        self._receive(record, {self.product: 2.0}, backorder=True)
        wizard = Form.from_action(
            self.env, record.with_user(self.stock_user).action_close_receipt()
        )
        wizard.note = "The customer keeps three units."
        wizard.save().action_close()
        self.assertEqual(record.state, "received")
        self.assertEqual(record.close_note, "The customer keeps three units.")
        self.assertEqual(record.line_ids.quantity_received, 2.0)
        self.assertEqual(
            sorted(record.return_picking_ids.mapped("state")), ["cancel", "done"], "rest cancelled"
        )
        self.assertEqual(order.order_line.dist_qty_return_authorized, 0.0)
        self.assertEqual(
            order.order_line._dist_returnable_quantities()[order.order_line.id]["returnable"], 8.0
        )

    def test_no_backorder_closes_the_rest(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 4.0})
        self._receive(record, {self.product: 1.0}, backorder=False)
        self.assertEqual(record.state, "received")
        self.assertTrue(
            any("Received less than authorized" in b for b in record.message_ids.mapped("body"))
        )

    def test_nothing_received_cancels_the_return(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 4.0})
        record.return_picking_ids.with_user(self.stock_user).action_cancel()
        self.assertEqual(record.state, "cancelled")
        self.assertEqual(order.order_line.dist_qty_return_authorized, 0.0)

    def test_receiving_more_than_authorized_is_refused(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        picking = record.return_picking_ids.with_user(self.stock_user)
        picking.move_ids.quantity = 3.0
        picking.move_ids.picked = True
        with self.assertRaises(UserError) as caught:
            picking.button_validate()
        self.assertIn("authorizes 2", str(caught.exception))
        self.assertEqual(record.state, "approved")

    def test_cancel_before_receipt(self):
        order = self._delivered_order()
        record = self._authorized(order, {self.product: 2.0})
        record.with_user(self.helpdesk_user).action_cancel()
        self.assertEqual(record.state, "cancelled")
        self.assertEqual(record.return_picking_ids.state, "cancel")

        other = self._authorized(order, {self.product: 2.0})
        self._receive(other, {self.product: 1.0}, backorder=True)
        with self.assertRaises(UserError):
            other.action_cancel()

    def test_tracked_product_comes_back_with_its_lot(self):
        product = self._create_product(
            name="Tracked Crate", is_storable=True, tracking="lot", invoice_policy="delivery"
        )
        lot = self.env["stock.lot"].create({"name": "LOT-A", "product_id": product.id})
        self.env["stock.quant"]._update_available_quantity(
            product, self.warehouse.lot_stock_id, 20.0, lot_id=lot
        )
        order = self._delivered_order(lines=[(product, 5.0)])
        record = (
            self.env["dist.return"].with_user(self.helpdesk_user)._dist_create_draft(order=order)
        )
        self.assertEqual(record.line_ids.lot_id, lot)
        record.line_ids.write({"quantity": 2.0, "reason_id": self.reason_unwanted.id})
        record.action_submit()
        picking = record.return_picking_ids
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, lot)
        self._receive(record)
        quant = self.env["stock.quant"]._gather(product, self.returns_location, lot_id=lot)
        self.assertEqual(sum(quant.mapped("quantity")), 2.0)

        self._inspect(record, {product: 2.0})
        self._resolve(record)
        self.assertEqual(record.state, "done")
        self.assertEqual(
            product.with_context(
                location=self.warehouse.lot_stock_id.id, lot_id=lot.id
            ).qty_available,
            17.0,
        )
