# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import DistReturnsCommon


@tagged("post_install", "-at_install")
class TestReturnCap(DistReturnsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._delivered_order_cls(lines=[(cls.product, 10.0), (cls.product_b, 4.0)])
        cls.line = cls.order.order_line.filtered(lambda sol: sol.product_id == cls.product)

    @classmethod
    def _delivered_order_cls(cls, lines):
        # Built once for the class, as the salesman and the warehouse user would.
        order = (
            cls.env["sale.order"]
            .with_user(cls.salesman)
            .create(
                {
                    "partner_id": cls.customer_manual.id,
                    "order_line": [
                        Command.create({"product_id": p.id, "product_uom_qty": q}) for p, q in lines
                    ],
                }
            )
        )
        order.action_confirm()
        picking = order.picking_ids.with_user(cls.stock_user)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        return order.with_user(cls.env.user)

    def test_over_return_is_refused_naming_product_and_what_is_left(self):
        with self.assertRaises(ValidationError) as caught:
            self._new_return(self.order, {self.product: 11.0})
        message = str(caught.exception)
        self.assertIn(self.product.display_name, message)
        self.assertIn("only 10", message)

    def test_cap_holds_across_returns(self):
        first = self._authorized(self.order, {self.product: 6.0})
        self.assertEqual(self.line.dist_qty_return_authorized, 6.0)
        with self.assertRaises(ValidationError) as caught:
            self._new_return(self.order, {self.product: 5.0})
        self.assertIn("only 4", str(caught.exception))
        self.assertIn("6", str(caught.exception))

        # Two drafts may each ask for the last units; only one can be submitted.
        second = self._new_return(self.order, {self.product: 4.0})
        third = self._new_return(self.order, {self.product: 4.0}, user=self.salesman)
        second.action_submit()
        with self.assertRaises(UserError) as caught:
            third.with_user(self.salesman).action_submit()
        self.assertIn("only 0", str(caught.exception))
        self.assertEqual(third.state, "draft")

        # What came back is no longer returnable; what is cancelled is again.
        self._receive(first, {self.product: 6.0})
        self.assertEqual(self.line._dist_returnable_quantities()[self.line.id]["returnable"], 0.0)
        second.action_cancel()
        self.assertEqual(self.line.dist_qty_return_authorized, 0.0)
        third.with_user(self.salesman).action_submit()
        self.assertEqual(third.state, "approved")

    def test_odoo_returns_count_as_returned(self):
        self._odoo_return(self.order.picking_ids, {self.product: 3.0})
        quantities = self.line._dist_returnable_quantities()[self.line.id]
        self.assertEqual(quantities["delivered"], 10.0)
        self.assertEqual(quantities["returned"], 3.0)
        self.assertEqual(quantities["returnable"], 7.0)
        with self.assertRaises(ValidationError):
            self._new_return(self.order, {self.product: 8.0})
        self._authorized(self.order, {self.product: 7.0})

    def test_only_products_of_the_order(self):
        other = self._create_product(name="Not Ordered", is_storable=True)
        with self.assertRaises(UserError) as caught:
            self._new_return(self.order, {other: 1.0})
        self.assertIn("Not Ordered", str(caught.exception))
        self.assertIn(self.order.name, str(caught.exception))

        other_order = self._create_order(self.customer_manual, [(self.product, 1.0)])
        record = self._new_return(self.order, {self.product: 1.0})
        with self.assertRaises(ValidationError):
            record.line_ids.sale_line_id = other_order.order_line

    def test_product_alone_finds_its_order_line(self):
        record = self._new_return(self.order, {self.product_b: 2.0})
        self.assertEqual(
            record.line_ids.sale_line_id,
            self.order.order_line.filtered(lambda sol: sol.product_id == self.product_b),
        )

    def test_prefilled_lines_and_submission_checks(self):
        record = (
            self.env["dist.return"].with_user(self.salesman)._dist_create_draft(order=self.order)
        )
        self.assertEqual(record.partner_id, self.customer_manual)
        self.assertEqual(record.line_ids.product_id, self.product | self.product_b)
        self.assertEqual(record.line_ids.mapped("quantity"), [0.0, 0.0])
        self.assertEqual(record.line_ids.mapped("quantity_returnable"), [10.0, 4.0])
        with self.assertRaises(UserError) as caught:
            record.action_submit()
        self.assertIn("set the quantity", str(caught.exception))

        record.line_ids[0].quantity = 2.0
        with self.assertRaises(UserError) as caught:
            record.action_submit()
        self.assertIn("give the reason", str(caught.exception))
        record.line_ids[0].reason_id = self.reason_unwanted
        record.action_submit()
        self.assertEqual(record.state, "approved")
        self.assertEqual(record.line_ids.product_id, self.product, "empty lines are dropped")

    def test_customer_must_match_order(self):
        with self.assertRaises(UserError):
            self._new_return(self.order, {self.product: 1.0}, partner_id=self.customer_delivery.id)


@tagged("post_install", "-at_install", "dist_query_count")
class TestReturnableQueryCount(DistReturnsCommon):
    def test_returnable_quantities_in_one_query(self):
        products = self.env["product.product"].create(
            [
                {"name": f"Many {i}", "type": "consu", "is_storable": True, "list_price": 5.0}
                for i in range(30)
            ]
        )
        for product in products:
            self.env["stock.quant"]._update_available_quantity(
                product, self.warehouse.lot_stock_id, 100.0
            )
        order = self._delivered_order(lines=[(p, 6.0) for p in products])
        for product in products[:5]:
            self._authorized(order, {product: 1.0})
        self._odoo_return(order.picking_ids[:1], {products[5]: 2.0})
        lines = order.order_line
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            quantities = lines._dist_returnable_quantities()
        self.assertEqual(len(quantities), 30)
        self.assertEqual(quantities[lines[0].id]["authorized"], 1.0)
        self.assertEqual(quantities[lines[0].id]["returnable"], 5.0)
        self.assertEqual(quantities[lines[5].id]["returned"], 2.0)
        self.assertEqual(quantities[lines[29].id]["returnable"], 6.0)
