# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import DistOrderRiskCommon


@tagged("post_install", "-at_install")
class TestOrderRiskTour(DistOrderRiskCommon, HttpCase):
    def test_salesman_sees_why_and_replenishes(self):
        order = self._create_order(
            self.customer_manual,
            [(self.gearbox, 7.0)],
            commitment_date=fields.Datetime.now() + timedelta(days=5),
        )
        self.assertTrue(self.env["dist.exception.scanner"]._dist_scan())
        self.assertEqual(order.dist_risk_level, "high")

        self.start_tour(
            "/odoo/orders-at-risk",
            "dist_order_risk_salesman_replenishes",
            login=self.salesman.login,
        )

        shortage = self._open_exceptions("shortage", order)
        line = shortage.sudo().dist_replenishment_ids
        self.assertEqual(line.product_id, self.gearbox)
        self.assertEqual(line.product_qty, 7.0)
        self.assertEqual(line.order_id.partner_id, self.acme)
        self.assertEqual(line.order_id.activity_ids.user_id, self.buyer)
