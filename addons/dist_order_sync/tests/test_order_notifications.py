# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common import DistOrderRiskCommon

DELAYED = "a new date for your order"
PARTIAL = "part of your order"
SHIPPED = "your order"


@tagged("post_install", "-at_install")
class TestOrderNotifications(DistOrderRiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_manual.email = "purchasing@fabrikam.example.com"
        cls.customer_manual.dist_order_notify = "notify"
        cls.spot_buyer = cls._create_customer("Spot Buyer", None, email="spot@example.com")

    def _notify(self, at=None):
        with freeze_time(at or self.NOW):
            return self.env["dist.order.notification"]._dist_notify()

    def _notices(self, order, words):
        order.invalidate_recordset(["message_ids"])
        return order.message_ids.filtered(lambda m: words in (m.subject or ""))

    def test_delay_announced_once_then_when_the_estimate_moves(self):
        order = self._order_for([(self.gearbox, 7.0)], promise_days=5)
        purchase = self._purchase(self.acme, [(self.gearbox, 7.0)], self._at(days=7))
        self._scan()
        self.assertEqual(str(order.dist_estimated_ship_date), "2025-12-09")
        self.assertIn(order, self._notify())
        notice = self._notices(order, DELAYED)
        self.assertEqual(len(notice), 1)
        self.assertIn(self.customer_manual, notice.partner_ids)
        self.assertIn("12/09/2025", notice.body)
        self.assertIn("12/06/2025", notice.body)
        self.assertEqual(str(order.dist_notified_estimate), "2025-12-09")

        # Nothing new: nothing sent.
        self._scan()
        self.assertFalse(self._notify())
        # The estimate moves by a day, within the 2-day margin: not announced again.
        purchase.picking_ids.scheduled_date = self._at(days=8)
        self._scan()
        self.assertEqual(str(order.dist_estimated_ship_date), "2025-12-10")
        self._notify()
        self.assertEqual(len(self._notices(order, DELAYED)), 1)
        # By 4 days: announced with the new estimate.
        purchase.picking_ids.scheduled_date = self._at(days=11)
        self._scan()
        self._notify()
        notices = self._notices(order, DELAYED)
        self.assertEqual(len(notices), 2)
        self.assertIn("12/13/2025", notices[0].body)

    def test_partial_then_full_shipment_announced_once_each(self):
        order = self._order_for([(self.product, 10.0)], promise_days=5)
        with freeze_time(self._at(hours=2)):
            self._deliver(order.picking_ids, {self.product: 4.0}, bill=False)
        self._notify(self._at(hours=3))
        partial = self._notices(order, PARTIAL)
        self.assertEqual(len(partial), 1)
        self.assertIn("has shipped", partial.body)
        self.assertIn("6.0", partial.body)
        self.assertFalse(self._notify(self._at(hours=4)))

        with freeze_time(self._at(days=1)):
            self._deliver(order.picking_ids.filtered(lambda p: p.state != "done"), bill=False)
        self._notify(self._at(days=1, hours=1))
        shipped = self._notices(order, SHIPPED) - partial
        self.assertEqual(len(shipped), 1)
        self.assertIn("has shipped in full", shipped.body)
        self.assertFalse(self._notify(self._at(days=1, hours=2)))
        self.assertEqual(len(self._notices(order, PARTIAL)), 1)

    def test_each_customer_chooses_the_company_decides_for_the_others(self):
        silent = self._create_customer("Silent Co", None, email="silent@example.com")
        silent.dist_order_notify = "silent"
        orders = {
            partner: self._order_for([(self.product, 1.0)], promise_days=3, partner=partner)
            for partner in (self.customer_manual, self.spot_buyer, silent)
        }
        for order in orders.values():
            with freeze_time(self._at(hours=1)):
                self._deliver(order.picking_ids, bill=False)
        notified = self._notify(self._at(hours=2))
        self.assertEqual(notified, orders[self.customer_manual])

        # The company sends updates by default: customers without a choice get them.
        self.company.dist_order_notify = True
        notified = self._notify(self._at(hours=3))
        self.assertEqual(notified, orders[self.spot_buyer])
        self.assertFalse(self._notices(orders[silent], SHIPPED))

    def test_old_shipments_are_not_announced(self):
        self.company.dist_order_notify = True
        order = self._order_for([(self.product, 1.0)], promise_days=3, partner=self.spot_buyer)
        with freeze_time(self._at(hours=1)):
            self._deliver(order.picking_ids, bill=False)
        self.assertFalse(self._notify(self._at(days=5)))

    def test_templates_are_editable(self):
        template = self.env.ref("dist_order_sync.mail_template_dist_order_shipped")
        template.subject = "Shipped: {{ object.name }}"
        order = self._order_for([(self.product, 1.0)], promise_days=3)
        with freeze_time(self._at(hours=1)):
            self._deliver(order.picking_ids, bill=False)
        self._notify(self._at(hours=2))
        self.assertEqual(len(self._notices(order, f"Shipped: {order.name}")), 1)
