# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DistOrderRiskCommon


@tagged("post_install", "-at_install")
class TestReplenishment(DistOrderRiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoicing_user = cls._dist_user("dist_invoicing", "account.group_account_invoice")

    def _shortage(self, lines, promise_days=15):
        order = self._order_for(lines, promise_days=promise_days)
        self._scan()
        exception = self._open_exceptions("shortage", order)
        self.assertEqual(len(exception), 1)
        return order, exception

    def _replenish(self, exception, user=None):
        with freeze_time(self.NOW):
            return exception.with_user(user or self.salesman).action_dist_replenish()

    def test_one_rfq_line_per_product_and_vendor(self):
        order, shortage = self._shortage([(self.gearbox, 7.0), (self.pump, 3.0)])
        at_risk = self._open_exceptions("at_risk", order)
        self.assertTrue(at_risk)
        action = self._replenish(shortage)
        self.assertEqual(action["tag"], "display_notification")

        lines = shortage.sudo().dist_replenishment_ids
        self.assertEqual(len(lines), 2)
        by_product = {line.product_id: line for line in lines}
        gearbox, pump = by_product[self.gearbox], by_product[self.pump]
        self.assertEqual(gearbox.product_qty, 7.0)
        self.assertEqual(gearbox.order_id.partner_id, self.acme)
        self.assertEqual(pump.product_qty, 3.0)
        self.assertEqual(pump.order_id.partner_id, self.slowco)
        self.assertNotEqual(gearbox.order_id, pump.order_id)
        for line in lines:
            rfq = line.order_id
            self.assertEqual(rfq.state, "draft")
            self.assertEqual(rfq.user_id, self.buyer)
            self.assertIn(order.name, rfq.origin)
            # Linked to the order the way Odoo links a purchase to a sale.
            self.assertIn(order, rfq._get_sale_orders())
            self.assertIn(rfq, order._get_purchase_orders())
            activity = rfq.activity_ids
            self.assertEqual(activity.user_id, self.buyer)
            self.assertIn(order.name, activity.summary)
        # Dated by the promise (the vendor's lead time fits before it).
        self.assertEqual(gearbox.date_planned.date(), order.commitment_date.date())
        # Every exception of the order shows what comes.
        self.assertEqual(shortage.purchase_order_id, lines.order_id[:1])
        self.assertEqual(at_risk.sudo().dist_replenishment_ids, lines)
        self.assertIn(gearbox.order_id.name, shortage.with_user(self.salesman).dist_incoming)
        self.assertIn("Gearbox G7", shortage.with_user(self.salesman).dist_incoming)
        self.assertIn("Replenishment requested by", shortage.message_ids[0].body)

        # Asking twice does not order twice.
        with self.assertRaisesRegex(UserError, "already waits for"):
            self._replenish(at_risk)

        # The buyer confirms the RFQs in time: the shortage resolves itself.
        lines.order_id.with_user(self.buyer).button_confirm()
        self._scan()
        self.assertEqual(shortage.state, "resolved")

    def test_joins_the_open_rfq_of_the_vendor(self):
        first, first_shortage = self._shortage([(self.gearbox, 7.0)])
        self._replenish(first_shortage)
        rfq = first_shortage.sudo().dist_replenishment_ids.order_id
        second, second_shortage = self._shortage([(self.gearbox, 4.0)])
        self._replenish(second_shortage)
        line = second_shortage.sudo().dist_replenishment_ids
        self.assertEqual(line.order_id, rfq)
        self.assertEqual(len(rfq.order_line), 1)
        self.assertEqual(rfq.order_line.product_qty, 11.0)
        self.assertIn(first.name, rfq.origin)
        self.assertIn(second.name, rfq.origin)
        self.assertEqual(rfq._get_sale_orders(), first | second)

    def test_orders_only_what_is_missing_by_the_deadline(self):
        self.env["stock.quant"]._update_available_quantity(
            self.gearbox, self.warehouse.lot_stock_id, 2.0
        )
        # 3 arrive after the deadline: they do not cover it.
        self._purchase(self.acme, [(self.gearbox, 3.0)], self._at(days=30))
        __, shortage = self._shortage([(self.gearbox, 7.0)])
        self._replenish(shortage)
        self.assertEqual(shortage.sudo().dist_replenishment_ids.product_qty, 5.0)

    def test_what_is_ordered_late_is_not_ordered_again(self):
        # Acme needs 10 days: what it ships arrives after a 5-day promise.
        self.company.dist_replenish_auto = True
        order = self._order_for([(self.gearbox, 7.0)], promise_days=5)
        self._scan()
        shortage = self._open_exceptions("shortage", order)
        line = shortage.sudo().dist_replenishment_ids
        self.assertEqual(line.product_qty, 7.0)
        self.assertGreater(line.date_planned, order.commitment_date)
        line.order_id.with_user(self.buyer).button_confirm()
        self.assertEqual(line.order_id.state, "purchase")

        # Still short by the deadline, but on its way: the scans order nothing more.
        self._scan()
        self._scan()
        self.assertEqual(self._open_exceptions("shortage", order), shortage)
        gearbox_lines = self.env["purchase.order.line"].search(
            [("product_id", "=", self.gearbox.id), ("state", "!=", "cancel")]
        )
        self.assertEqual(gearbox_lines, line)
        self.assertEqual(line.product_qty, 7.0)
        with self.assertRaisesRegex(UserError, "already ordered"):
            self._replenish(shortage)

    def test_what_cannot_be_replenished_says_why(self):
        lonely = self._create_product(name="Lonely Widget", is_storable=True)
        __, shortage = self._shortage([(lonely, 1.0)])
        with self.assertRaisesRegex(UserError, "Lonely Widget"):
            self._replenish(shortage)
        self.assertFalse(shortage.sudo().dist_replenishment_ids)

        # An order at risk whose lines are covered in time has nothing to order.
        self._history(self.slowco, [6, 7, 8])
        order = self._order_for([(self.pump, 1.0)], promise_days=10)
        self._purchase(self.slowco, [(self.pump, 1.0)], self._at(days=9))
        self._scan()
        at_risk = self._open_exceptions("at_risk", order)
        self.assertTrue(at_risk)
        with self.assertRaisesRegex(UserError, "Nothing is missing"):
            self._replenish(at_risk)

    def test_roles(self):
        __, shortage = self._shortage([(self.gearbox, 7.0)])
        with self.assertRaises(AccessError):
            self._replenish(shortage, user=self.invoicing_user)
        self._replenish(shortage, user=self.stock_user)
        self.assertTrue(shortage.sudo().dist_replenishment_ids)
        with self.assertRaises(AccessError):
            shortage.with_user(self.salesman).write({"dist_replenishment_ids": [(5,)]})

    def test_automatic_above_a_quantity(self):
        self.company.write({"dist_replenish_auto": True, "dist_replenish_min_qty": 5.0})
        small = self._order_for([(self.gearbox, 3.0)], promise_days=15)
        large = self._order_for([(self.pump, 8.0)], promise_days=15)
        self._scan()
        small_shortage = self._open_exceptions("shortage", small)
        large_shortage = self._open_exceptions("shortage", large)
        self.assertFalse(small_shortage.sudo().dist_replenishment_ids)
        line = large_shortage.sudo().dist_replenishment_ids
        self.assertEqual(line.product_id, self.pump)
        self.assertEqual(line.product_qty, 8.0)
        # The next scan does not order again.
        self._scan()
        self.assertEqual(line.order_id.order_line.product_qty, 8.0)

    def test_automatic_above_a_value_and_never_elsewhere(self):
        other = self.setup_other_company(name="Elsewhere")["company"]
        other.write({"dist_replenish_auto": True, "dist_replenish_min_value": 1.0})
        self.company.dist_replenish_min_value = 300.0
        order = self._order_for([(self.gearbox, 7.0)], promise_days=15)
        self._scan()
        shortage = self._open_exceptions("shortage", order)
        self.assertFalse(shortage.sudo().dist_replenishment_ids)
        self.company.dist_replenish_auto = True
        self._scan()
        # 7 x 50.0 = 350.0 >= 300.0
        self.assertEqual(shortage.sudo().dist_replenishment_ids.product_qty, 7.0)
