# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ApprovalMatrixCase


@tagged("post_install", "-at_install")
class TestPurchaseGate(ApprovalMatrixCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.purchase_managers = cls.env.ref("purchase.group_purchase_manager")

    def test_native_two_step_untouched_without_rules(self):
        self.company.po_double_validation = "two_step"
        self.company.po_double_validation_amount = 500
        order = self.make_po()
        order.button_confirm()
        self.assertEqual(order.state, "to approve")
        self.assertFalse(order.approval_state)
        order.with_user(self.purchase_manager).button_approve()
        self.assertEqual(order.state, "purchase")

    def test_matrix_replaces_two_step(self):
        self.company.po_double_validation = "two_step"
        self.company.po_double_validation_amount = 500
        self.make_rule(
            name="PO above 5,000",
            document_type="purchase",
            amount_min=5000,
            approver_group_id=self.purchase_managers.id,
        )
        small = self.make_po(qty=10)  # 1,000: the native rule would hold it
        small.button_confirm()
        self.assertEqual(small.state, "purchase")
        self.assertEqual(small.approval_state, "not_required")
        self.assertTrue(small.picking_ids, "purchase_stock created the receipt")

        big = self.make_po(qty=100)
        big.button_confirm()
        self.assertEqual(big.state, "to approve")
        self.assertEqual(big.approval_state, "pending")
        # Odoo's own Approve button cannot skip the matrix, nor can a raw write.
        with self.assertRaisesRegex(UserError, "wait for the approval matrix"):
            big.with_user(self.purchase_manager).button_approve()
        with self.assertRaises(UserError):
            big.with_user(self.purchase_manager).write({"state": "purchase"})
        request = self.current_requests(big)
        with self.assertRaises(UserError):
            request.with_user(self.buyer).action_approve()
        request.with_user(self.purchase_manager).action_approve()
        self.assertEqual(big.state, "purchase")
        self.assertTrue(big.picking_ids)

    def test_rejected_po_returns_to_draft(self):
        self.make_rule(
            name="Supplier tag",
            document_type="purchase",
            partner_category_ids=[Command.set(self.tag_contract.ids)],
            apply_always=True,
            approver_group_id=self.purchase_managers.id,
        )
        self.vendor.category_id = self.tag_contract_gold
        order = self.make_po()
        order.button_confirm()
        self.assertEqual(order.state, "to approve")
        self.current_requests(order).with_user(self.purchase_manager).action_reject(
            "Use the framework agreement"
        )
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.approval_state, "rejected")

    def test_purchase_rule_refuses_sales_thresholds(self):
        with self.assertRaisesRegex(UserError, "(?i)margin"):
            self.make_rule(
                name="Wrong",
                document_type="purchase",
                check_margin=True,
                margin_below=10,
                approver_group_id=self.purchase_managers.id,
            )


@tagged("post_install", "-at_install")
class TestInventoryGate(ApprovalMatrixCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(cls.product, cls.stock_location, 100)
        cls.make_rule(
            name="Adjustments above 1,000",
            document_type="inventory",
            check_adjustment=True,
            adjustment_value_above=1000,
            approver_group_id=cls.env.ref("stock.group_stock_manager").id,
        )

    def count(self, counted):
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.product.id), ("location_id", "=", self.stock_location.id)]
        )
        quant.with_user(self.stock_user).with_context(
            inventory_mode=True
        ).inventory_quantity = counted
        return quant.with_user(self.stock_user)

    def test_small_adjustment_applies(self):
        quant = self.count(90)  # 10 x 60 = 600
        quant.action_apply_inventory()
        self.assertEqual(quant.quantity, 90)
        self.assertEqual(quant.approval_state, "not_required")

    def test_big_adjustment_waits_for_stock_manager(self):
        quant = self.count(70)  # 30 x 60 = 1,800
        quant.action_apply_inventory()
        self.assertEqual(quant.quantity, 100, "nothing moved")
        self.assertEqual(quant.approval_state, "pending")
        request = self.current_requests(quant)
        self.assertEqual(request.facts["adjustment"]["value"], 1800)
        self.assertIn("Adjustment value", request.reason)
        with self.assertRaises(UserError):
            request.with_user(self.stock_user).action_approve()
        request.with_user(self.stock_manager).action_approve()
        self.assertEqual(quant.quantity, 70)
        self.assertFalse(quant.inventory_quantity_set)

    def test_other_paths_cannot_skip(self):
        quant = self.count(50)
        with self.assertRaisesRegex(UserError, "need approval"):
            quant.sudo()._apply_inventory()
        self.assertEqual(quant.quantity, 100)

    def test_recount_cancels_pending_approval(self):
        quant = self.count(70)
        quant.action_apply_inventory()
        request = self.current_requests(quant)
        self.count(95)
        self.assertEqual(request.state, "cancelled")
        quant.action_apply_inventory()
        self.assertEqual(quant.quantity, 95, "the new count is small enough to pass")


@tagged("post_install", "-at_install")
class TestRefundGate(ApprovalMatrixCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(
            name="Credit notes of 2,000 and more",
            document_type="refund",
            amount_min=2000,
            approver_group_id=cls.env.ref("account.group_account_manager").id,
        )

    def make_refund(self, amount):
        return (
            self.env["account.move"]
            .with_user(self.invoicing_user)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.customer.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    def test_small_credit_note_posts(self):
        refund = self.make_refund(500)
        refund.action_post()
        self.assertEqual(refund.state, "posted")

    def test_big_credit_note_waits(self):
        refund = self.make_refund(2500)
        refund.action_post()
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.approval_state, "pending")
        with self.assertRaisesRegex(UserError, "need approval"):
            refund._post(soft=False)
        with self.assertRaises(UserError):
            refund.write({"state": "posted"})
        request = self.current_requests(refund)
        self.assertEqual(request.facts["amount"], 2500)
        request.with_user(self.finance).action_approve()
        self.assertEqual(refund.state, "posted")

    def test_invoices_are_not_gated(self):
        invoice = self.make_refund(3000)
        invoice.move_type = "out_invoice"
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.approval_state)
