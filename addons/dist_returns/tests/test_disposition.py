# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnDisposition(DistReturnsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Orchard Supplies"})
        cls.scrap_tag = cls.env["stock.scrap.reason.tag"].sudo().create({"name": "Broken"})

    def _received(self, quantities, lines=None, reason=None):
        order = self._delivered_order(lines=lines)
        record = self._authorized(order, quantities, reason=reason)
        self._receive(record)
        return order, record

    def test_restock_puts_the_units_back_in_stock(self):
        __, record = self._received({self.product: 3.0})
        stock = self._on_hand(self.product)
        self.assertEqual(self._on_hand(self.product, self.returns_location), 3.0)
        self._resolve(self._inspect(record, {self.product: 3.0}))
        restock = record.operation_picking_ids
        self.assertEqual(restock.dist_return_role, "restock")
        self.assertEqual(restock.state, "done")
        self.assertEqual(restock.location_dest_id, self.warehouse.lot_stock_id)
        self.assertEqual(self._on_hand(self.product), stock + 3.0)
        self.assertEqual(self._on_hand(self.product, self.returns_location), 0.0)
        self.assertEqual(record.line_ids.quantity_disposed, 3.0)

    def test_scrap_takes_the_units_out_of_stock(self):
        __, record = self._received({self.product: 2.0}, reason=self.reason_unwanted)
        stock = self._on_hand(self.product)
        record.line_ids.with_user(self.stock_user).write(
            {"disposition": "scrap", "quantity_accepted": 2.0}
        )
        self._resolve(record)
        scrap = record.disposition_ids.scrap_id
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.scrap_qty, 2.0)
        self.assertEqual(scrap.location_id, self.returns_location)
        self.assertIn(record.name, scrap.origin)
        self.assertEqual(self._on_hand(self.product), stock, "scrapped units are not in stock")
        self.assertEqual(self._on_hand(self.product, self.returns_location), 0.0)
        self.assertEqual(self._on_hand(self.product, scrap.scrap_location_id), 2.0)

    def test_split_disposition(self):
        __, record = self._received({self.product: 5.0})
        stock = self._on_hand(self.product)
        line = record.line_ids.with_user(self.stock_user)
        line.write(
            {
                "disposition_ids": [
                    Command.create({"disposition": "restock", "quantity": 3.0}),
                    Command.create(
                        {
                            "disposition": "scrap",
                            "quantity": 2.0,
                            "scrap_reason_tag_ids": [Command.set(self.scrap_tag.ids)],
                        }
                    ),
                ]
            }
        )
        self._resolve(record)
        self.assertEqual(record.disposition_ids.mapped("state"), ["done", "done"])
        self.assertEqual(self._on_hand(self.product), stock + 3.0)
        scrap = record.disposition_ids.scrap_id
        self.assertEqual(scrap.scrap_qty, 2.0)
        self.assertEqual(scrap.scrap_reason_tag_ids, self.scrap_tag)
        self.assertEqual(line.quantity_disposed, 5.0)

    def test_split_must_match_the_accepted_quantity(self):
        __, record = self._received({self.product: 5.0})
        record.line_ids.with_user(self.stock_user).disposition_ids = [
            Command.create({"disposition": "restock", "quantity": 3.0})
        ]
        with self.assertRaises(UserError) as caught:
            record.with_user(self.stock_user).action_resolve()
        self.assertIn("add up to 3", str(caught.exception))

    def test_return_to_vendor_of_the_last_receipt(self):
        purchase = (
            self.env["purchase.order"]
            .sudo()
            .create(
                {
                    "partner_id": self.vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_b.id,
                                "product_qty": 10.0,
                                "price_unit": 20.0,
                            }
                        )
                    ],
                }
            )
        )
        purchase.button_confirm()
        self._deliver(purchase.picking_ids, bill=False)
        purchase_line = purchase.order_line
        self.assertEqual(purchase_line.qty_received, 10.0)

        __, record = self._received(
            {self.product_b: 2.0}, lines=[(self.product_b, 5.0)], reason=self.reason_defect
        )
        self.assertEqual(record.line_ids.disposition, "vendor")
        self._resolve(self._inspect(record, {self.product_b: 2.0}))
        to_vendor = record.operation_picking_ids.filtered(lambda p: p.dist_return_role == "vendor")
        self.assertEqual(to_vendor.location_id, self.returns_location)
        self.assertEqual(to_vendor.location_dest_id.usage, "supplier")
        self.assertEqual(to_vendor.partner_id, self.vendor)
        self.assertEqual(to_vendor.state, "assigned", "ready for the warehouse to ship")
        self.assertEqual(to_vendor.move_ids.purchase_line_id, purchase_line)
        self._deliver(to_vendor, bill=False)
        self.assertEqual(purchase_line.qty_received, 8.0)
        self.assertEqual(self._on_hand(self.product_b, self.returns_location), 0.0)
        self.assertEqual(record.line_ids.quantity_disposed, 2.0)

    def test_return_to_vendor_without_receipt_is_a_draft_for_the_buyer(self):
        product = self._create_product(
            name="Never Purchased", is_storable=True, invoice_policy="delivery", lst_price=10.0
        )
        product.seller_ids = [Command.create({"partner_id": self.vendor.id, "price": 5.0})]
        self.env["stock.quant"]._update_available_quantity(
            product, self.warehouse.lot_stock_id, 10.0
        )
        __, record = self._received(
            {product: 1.0}, lines=[(product, 3.0)], reason=self.reason_defect
        )
        self._resolve(record)
        draft = record.operation_picking_ids
        self.assertEqual(draft.state, "draft")
        self.assertEqual(draft.partner_id, self.vendor)
        self.assertEqual(draft.location_id, self.returns_location)
        self.assertTrue(record.activity_ids.filtered(lambda a: "vendor" in (a.summary or "")))
        self.assertEqual(self._on_hand(product, self.returns_location), 1.0)

    def test_rejected_units_go_back_to_the_customer(self):
        order, record = self._received({self.product: 3.0})
        line = order.order_line
        self._inspect(record, {self.product: 1.0})
        self.assertEqual(record.line_ids.quantity_rejected, 2.0)
        self._resolve(record)
        back = record.operation_picking_ids.filtered(lambda p: p.dist_return_role == "ship_back")
        self.assertEqual(back.location_id, self.returns_location)
        self.assertEqual(back.location_dest_id.usage, "customer")
        self.assertEqual(back.move_ids.product_uom_qty, 2.0)
        self.assertEqual(record.credit_note_ids.invoice_line_ids.quantity, 1.0)
        self.assertEqual(line.qty_invoiced, 9.0)
        self.assertEqual(line.qty_delivered, 7.0)
        self._deliver(back)
        self.assertEqual(line.qty_delivered, 9.0, "rejected units are delivered again")
        self.assertEqual(line.qty_invoiced, 9.0, "and not invoiced again")
        self.assertEqual(line.qty_to_invoice, 0.0)

    def test_only_warehouse_users_resolve(self):
        __, record = self._received({self.product: 1.0})
        with self.assertRaises(AccessError):
            record.with_user(self.helpdesk_user).action_resolve()
        with self.assertRaises(AccessError):
            record.with_user(self.billing_user).action_resolve()
        self.assertEqual(record.state, "received")
