# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from .common import DistOrderSyncCommon, invoice_with_wizard


@tagged("post_install", "-at_install")
class TestOrderStage(DistOrderSyncCommon):
    def _pay(self, invoices):
        self.env["account.payment.register"].with_user(self.billing_user).with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({})._create_payments()

    def test_manual_customer_walks_every_stage(self):
        self.env["dist.approval.rule"].sudo().create(
            {
                "name": "Discount above 10%",
                "document_type": "sale",
                "level": 1,
                "company_id": self.company.id,
                "check_discount": True,
                "discount_above": 10,
                "approver_group_id": self.env.ref("sales_team.group_sale_manager").id,
            }
        )
        approver = self._dist_user("stage_approver", "sales_team.group_sale_manager")
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer_manual.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 10.0,
                                "discount": 15.0,
                            },
                        )
                    ],
                }
            )
        )
        self.assertEqual(order.dist_order_stage, "quotation")
        # The approval matrix holds the quotation until a manager approves it.
        order.action_confirm()
        self.assertEqual(order.approval_state, "pending")
        self.assertEqual(order.dist_order_stage, "to_approve")
        order.approval_request_ids.with_user(approver).action_approve()
        self.assertEqual(order.approval_state, "approved")
        self.assertEqual(order.dist_order_stage, "confirmed")
        self._deliver(order.picking_ids, {self.product: 4.0})
        self.assertEqual(order.dist_order_stage, "partially_shipped")
        self._deliver(order.picking_ids.filtered(lambda p: p.state != "done"))
        self.assertEqual(order.dist_order_stage, "shipped")

        invoice_with_wizard(order, self.salesman)
        # A draft invoice: invoiced, not yet paid.
        self.assertEqual(order.dist_order_stage, "invoiced")
        order.invoice_ids.with_user(self.billing_user).action_post()
        self.assertEqual(order.dist_order_stage, "invoiced")
        self._pay(order.invoice_ids)
        self.assertEqual(order.dist_order_stage, "paid")

    def test_cancelled(self):
        order = self._create_order(self.customer_manual)
        order.with_user(self.salesman)._action_cancel()
        self.assertEqual(order.dist_order_stage, "cancelled")

    def test_delivery_customer_goes_from_confirmed_to_invoiced_to_paid(self):
        order = self._create_order(self.customer_delivery)
        self._deliver(order.picking_ids)
        self.assertEqual(order.dist_order_stage, "invoiced")
        self._pay(order.invoice_ids)
        self.assertEqual(order.dist_order_stage, "paid")

    def test_searchable_and_groupable(self):
        shipped = self._create_order(self.customer_manual)
        self._deliver(shipped.picking_ids)
        confirmed = self._create_order(self.customer_manual)
        orders = shipped | confirmed
        found = self.env["sale.order"].search(
            [("id", "in", orders.ids), ("dist_order_stage", "=", "shipped")]
        )
        self.assertEqual(found, shipped)
        groups = dict(
            self.env["sale.order"]._read_group(
                [("id", "in", orders.ids)], ["dist_order_stage"], ["__count"]
            )
        )
        self.assertEqual(groups, {"shipped": 1, "confirmed": 1})
