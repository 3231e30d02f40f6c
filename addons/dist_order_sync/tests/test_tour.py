# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged

from .common import DistOrderSyncCommon


@tagged("post_install", "-at_install")
class TestOrderSyncTour(DistOrderSyncCommon, HttpCase):
    def test_warehouse_validates_salesman_sees_invoiced(self):
        order = self._create_order(self.customer_delivery, [(self.product, 3.0)])
        picking = order.picking_ids
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(order.dist_order_stage, "confirmed")

        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            "dist_order_sync_warehouse_validates",
            login=self.stock_user.login,
        )
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.dist_billing_state, "to_bill")
        # The cron worker runs the billing cron the validation woke.
        self.env.ref("dist_order_sync.ir_cron_dist_bill_due").method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(picking.dist_billing_state, "billed")

        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}",
            "dist_order_sync_salesman_sees_invoiced",
            login=self.salesman.login,
        )
        self.assertEqual(order.dist_order_stage, "invoiced")
        self.assertEqual(order.invoice_ids.state, "posted")
