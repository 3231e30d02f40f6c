# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import ApprovalMatrixCase


@tagged("post_install", "-at_install")
class TestApprovalTour(ApprovalMatrixCase, HttpCase):
    """A salesman's discounted order waits; an approver clears it from My Approvals."""

    def test_discount_approval_journey(self):
        salesman, approver = self.salesman, self.sales_manager
        self.make_rule(name="Discount above 15%", discount_above=15, sla_hours=24)
        product = self.env["product.product"].create(
            {"name": "Tour Widget", "type": "consu", "list_price": 100, "standard_price": 40}
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer"})
        order = (
            self.env["sale.order"]
            .with_user(salesman)
            .create(
                {
                    "partner_id": customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 3, "discount": 20}
                        )
                    ],
                }
            )
        )

        self.start_tour("/odoo/sales", "dist_approval_salesman_tour", login=salesman.login)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.approval_state, "pending")
        self.assertEqual(order.approval_request_ids.requested_by, salesman)

        self.start_tour("/odoo", "dist_approval_approver_tour", login=approver.login)
        self.assertEqual(order.approval_request_ids.decided_by, approver)
        self.assertEqual(order.state, "sale")
