# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tests import Form, tagged

from .common import ApprovalMatrixCase


class ChangeControlCase(ApprovalMatrixCase):
    """The matrix holds for the whole life of a document: a change to a
    confirmed order that a rule catches is refused, or held for approval
    while the order runs on unchanged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 1000.0
        )

    def assertRefused(self, change, rule_name="Discount above 15%"):
        """``change()`` is refused, naming the rule and the way to approval."""
        with self.assertRaises(RedirectWarning) as caught:
            change()
        message, action, button = caught.exception.args[:3]
        self.assertIn(rule_name, message)
        self.assertIn("needs approval", message)
        self.assertEqual(action["res_model"], "dist.approval.change.wizard")
        self.assertEqual(button, "Send for Approval")
        return action


@tagged("post_install", "-at_install")
class TestSaleChangeControl(ChangeControlCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.make_rule(name="Discount above 15%", discount_above=15)

    def _confirmed(self, discount=5.0):
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 10, "discount": discount}]
        )
        order.action_confirm()
        self.assertEqual((order.state, order.approval_state), ("sale", "not_required"))
        return order

    def test_rpc_writes_past_the_matrix_are_refused(self):
        order = self._confirmed()
        line = order.order_line
        # Adding a line at 60 % through the order's lines (what a form or an
        # RPC client sends), then raising the first line to 70 %.
        self.assertRefused(
            lambda: order.write(
                {
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 50, "discount": 60}
                        )
                    ]
                }
            )
        )
        self.assertRefused(lambda: line.write({"discount": 70}))
        self.assertRefused(
            lambda: (
                self.env["sale.order.line"]
                .with_user(self.salesman)
                .create(
                    {
                        "order_id": order.id,
                        "product_id": self.product.id,
                        "product_uom_qty": 1,
                        "discount": 40,
                    }
                )
            )
        )
        order.invalidate_recordset()
        self.assertEqual(order.order_line, line)
        self.assertEqual(line.discount, 5.0)
        self.assertEqual(order.approval_state, "not_required")
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 10.0)

    def test_import_cannot_add_lines_past_the_matrix(self):
        order = self._confirmed()
        result = (
            self.env["sale.order.line"]
            .with_user(self.salesman)
            .load(
                ["order_id/.id", "product_id/.id", "product_uom_qty", "discount"],
                [[str(order.id), str(self.product.id), "5", "50"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn("needs approval", str(result["messages"]))
        self.assertEqual(len(order.order_line), 1)

    def test_form_edit_is_refused_and_offers_the_change_for_approval(self):
        order = self._confirmed()
        # Line discounts show once Settings > Sales > Discounts is on.
        self.salesman.group_ids |= self.env.ref("sale.group_discount_per_so_line")
        form = Form(order.with_user(self.salesman))
        with form.order_line.edit(0) as line:
            line.discount = 70
        action = self.assertRefused(form.save)
        # The wizard the message offers shows the change and sends it.
        wizard = (
            self.env["dist.approval.change.wizard"]
            .with_user(self.salesman)
            .with_context(**action["context"])
            .create({"note": "Customer matched a competitor"})
        )
        self.assertIn("discount 5", wizard.summary)
        self.assertIn("discount 70", wizard.summary)
        self.assertIn("Discount above 15%", str(wizard.preview_html))
        result = wizard.action_submit()
        self.assertEqual((result["res_model"], result["res_id"]), ("sale.order", order.id))
        self.assertEqual(order.order_line.discount, 5.0, "held, not applied")
        self.assertEqual(order.approval_state, "pending")
        request = self.current_requests(order)
        self.assertEqual(request.change_id.note, "Customer matched a competitor")

    def test_changes_without_facts_pass(self):
        order = self._confirmed()
        order.write({"note": "Deliver to the back door", "client_order_ref": "PO-778"})
        order.order_line.write({"name": "Widgets, blue"})
        # A change no rule catches passes too (a quantity, at 5 %).
        order.order_line.product_uom_qty = 12
        self.assertEqual(order.order_line.product_uom_qty, 12)
        self.assertEqual(order.approval_state, "not_required")
        self.assertFalse(order.approval_request_ids)

    def test_held_change_waits_then_applies(self):
        order = self._confirmed()
        line = order.order_line
        result = order.action_dist_request_change(
            {"order_line": [Command.update(line.id, {"discount": 70})]}, "Damaged packaging"
        )
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(line.discount, 5.0)
        self.assertEqual((order.state, order.approval_state), ("sale", "pending"))
        request = self.current_requests(order)
        self.assertEqual(request.rule_id, self.rule)
        self.assertIn("70%", request.reason)
        change = request.change_id
        self.assertEqual(change.state, "pending")
        self.assertIn("discount 70", change.summary)
        self.assertIn(self.sales_manager, request.activity_ids.user_id)
        # Another fact change waits for the decision.
        with self.assertRaisesRegex(UserError, "already waits for approval"):
            line.product_uom_qty = 20
        # The order keeps running as it was: the warehouse ships it.
        picking = order.picking_ids.with_user(self.stock_user)
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")

        request.with_user(self.sales_manager).action_approve()
        self.assertEqual(change.state, "applied")
        self.assertEqual(line.discount, 70.0)
        self.assertEqual(order.approval_state, "approved")
        # The approval covers what it approved: a smaller discount passes...
        line.discount = 60
        self.assertEqual(order.approval_state, "approved")
        # ... a bigger one does not.
        self.assertRefused(lambda: line.write({"discount": 80}))

    def test_rejected_or_withdrawn_change_is_never_applied(self):
        order = self._confirmed()
        line = order.order_line
        order.action_dist_request_change(
            {"order_line": [Command.update(line.id, {"discount": 40})]}
        )
        request = self.current_requests(order)
        request.with_user(self.sales_manager).action_reject("Too much")
        self.assertEqual(request.change_id.state, "rejected")
        self.assertEqual(line.discount, 5.0)
        self.assertEqual((order.state, order.approval_state), ("sale", "not_required"))

        order.action_dist_request_change(
            {"order_line": [Command.update(line.id, {"discount": 30})]}
        )
        change = self.current_requests(order).change_id
        with self.assertRaises(AccessError):
            change.with_user(self.salesman2).action_withdraw()
        order.action_dist_withdraw_change()
        self.assertEqual(change.state, "withdrawn")
        self.assertEqual(self.current_requests(order).state, "cancelled")
        self.assertEqual(order.approval_state, "not_required")
        self.assertEqual(line.discount, 5.0)

    def test_a_level_approved_for_a_rejected_change_covers_nothing(self):
        self.make_rule(name="Discount above 35%", level=2, discount_above=35)
        order = self._confirmed()
        line = order.order_line
        order.action_dist_request_change(
            {"order_line": [Command.update(line.id, {"discount": 40})]}
        )
        level_1, level_2 = self.current_requests(order)
        self.assertEqual((level_1.level, level_2.level), (1, 2))
        level_1.with_user(self.sales_manager).action_approve()
        self.assertEqual(level_2.level, 2)
        level_2.with_user(self.sales_manager2).action_reject("Too much")
        self.assertEqual(level_2.change_id.state, "rejected")
        # Level 1 said yes to 40 % as part of the rejected change: 30 % is
        # not approved by it.
        self.assertRefused(lambda: line.write({"discount": 30}))
        self.assertEqual(line.discount, 5.0)

    def test_a_change_no_rule_catches_is_made_at_once(self):
        order = self._confirmed()
        result = order.action_dist_request_change(
            {"order_line": [Command.update(order.order_line.id, {"discount": 10})]}
        )
        self.assertIs(result, True, "made at once, no notification of a held change")
        self.assertEqual(order.order_line.discount, 10.0)
        self.assertFalse(order.approval_request_ids)

    def test_lines_stay_on_their_confirmed_order(self):
        order = self._confirmed()
        quotation = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 50, "discount": 90}]
        )
        # Into the confirmed order, out of it, or made bookkeeping: refused.
        with self.assertRaisesRegex(UserError, order.name):
            quotation.order_line.write({"order_id": order.id})
        with self.assertRaisesRegex(UserError, order.name):
            order.order_line.write({"order_id": quotation.id})
        with self.assertRaisesRegex(UserError, order.name):
            order.order_line.write({"is_downpayment": True})
        self.assertEqual(order.order_line.discount, 5.0)
        self.assertEqual(quotation.order_line.order_id, quotation)
        # Writing what a line already is passes.
        order.order_line.write({"order_id": order.id, "is_downpayment": False})

    def test_a_delivered_extra_product_is_recorded(self):
        # An order the rule catches today, confirmed before it was tightened.
        order = self._confirmed(discount=10.0)
        self.rule.discount_above = 5
        other = self.env["product.product"].create(
            {"name": "Extra Widget", "type": "consu", "is_storable": True, "list_price": 10.0}
        )
        self.env["stock.quant"]._update_available_quantity(other, self.warehouse.lot_stock_id, 5.0)
        picking = order.picking_ids
        # The warehouse ships a product the order did not have: Odoo records
        # it on a new order line, which the matrix does not refuse.
        self.env["stock.move"].create(
            {
                "picking_id": picking.id,
                "product_id": other.id,
                "product_uom_qty": 2.0,
                "quantity": 2.0,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            }
        )
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        extra = order.order_line.filtered(lambda line: line.product_id == other)
        self.assertEqual(extra.qty_delivered, 2.0)
        self.assertEqual(extra.product_uom_qty, 0.0)

    def test_down_payments_are_bookkeeping(self):
        order = self._confirmed()
        self.env["sale.order.line"].create(
            {
                "order_id": order.id,
                "name": "Down payment",
                "product_uom_qty": 0,
                "price_unit": 100,
                "discount": 90,
                "is_downpayment": True,
            }
        )
        self.assertEqual(order.approval_state, "not_required")


@tagged("post_install", "-at_install", "dist_query_count")
class TestChangeControlQueries(ChangeControlCase):
    """A routine write to a confirmed order costs what Odoo's costs."""

    def _note_write_queries(self, order, note):
        order.invalidate_recordset()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        order.with_user(self.salesman).write({"note": note, "client_order_ref": note})
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_routine_write_costs_no_query(self):
        order = self.make_order()
        order.action_confirm()
        self._note_write_queries(order, "warm-up")
        without_rules = self._note_write_queries(order, "first")
        self.make_rule(name="Discount above 15%", discount_above=15)
        self._note_write_queries(order, "warm-up again")
        order.invalidate_recordset()
        self.env.flush_all()
        with self.assertQueryCount(without_rules):
            order.with_user(self.salesman).write({"note": "second", "client_order_ref": "second"})
            self.env.flush_all()


@tagged("post_install", "-at_install")
class TestPurchaseChangeControl(ChangeControlCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(
            name="Purchases of 5,000 and more",
            document_type="purchase",
            amount_min=5000,
            approver_group_id=cls.env.ref("purchase.group_purchase_manager").id,
        )

    def test_adding_lines_to_a_confirmed_po_is_controlled(self):
        order = self.make_po(qty=10, price=60)
        order.button_confirm()
        self.assertEqual((order.state, order.approval_state), ("purchase", "not_required"))
        rule = "Purchases of 5,000 and more"
        self.assertRefused(
            lambda: order.write(
                {
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_qty": 100, "price_unit": 60}
                        )
                    ]
                }
            ),
            rule,
        )
        self.assertRefused(lambda: order.order_line.write({"product_qty": 200}), rule)
        self.assertEqual(order.order_line.product_qty, 10)
        # Held, approved by a purchase manager, then applied: the receipt follows.
        order.action_dist_request_change(
            {"order_line": [Command.update(order.order_line.id, {"product_qty": 200})]}
        )
        self.assertEqual(order.picking_ids.move_ids.product_uom_qty, 10)
        self.current_requests(order).with_user(self.purchase_manager).action_approve()
        self.assertEqual(order.order_line.product_qty, 200)
        self.assertEqual(sum(order.picking_ids.move_ids.mapped("product_uom_qty")), 200)
