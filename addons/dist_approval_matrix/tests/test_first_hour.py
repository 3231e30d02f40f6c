# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form, tagged

from .common import ApprovalMatrixCase


@tagged("post_install", "-at_install")
class TestFirstHour(ApprovalMatrixCase):
    """What a new admin, salesperson or approver meets first: no dead end, no
    button that fails, facts that were measured."""

    def _discounted(self, user=None, discount=20):
        order = self.make_order(
            user=user,
            lines=[{"product_id": self.product.id, "product_uom_qty": 2, "discount": discount}],
        )
        order.action_confirm()
        return order

    def test_nobody_left_to_approve_is_said_and_override_is_not_offered(self):
        self.make_rule(
            name="Discount",
            discount_above=10,
            approver_group_id=False,
            approver_user_ids=[Command.set(self.dist_manager.ids)],
        )
        # The only approver confirms the order himself.
        order = self._discounted(user=self.dist_manager)
        request = self.current_requests(order).with_user(self.dist_manager)
        self.assertFalse(request.eligible_user_ids)
        self.assertEqual(
            request.no_approver_reason,
            f"No eligible approver: {self.dist_manager.name} requested it; add someone to "
            "the rule's approvers.",
        )
        banner = str(order.with_user(self.dist_manager).dist_approval_banner)
        self.assertIn("No eligible approver", banner)
        self.assertFalse(request.can_decide)
        self.assertFalse(request.can_override, "overriding one's own request would fail")
        # Another Distribution manager may override it.
        self.assertTrue(request.with_user(self.env.ref("base.user_admin")).can_override)

    def test_banner_approves_one_level_and_confirms_several_requests(self):
        self.make_rule(name="Discount", discount_above=10)
        self.make_rule(name="Margin", margin_below=50)
        self.make_rule(name="Level two", level=2, discount_above=10)
        order = self._discounted()
        as_manager = order.with_user(self.sales_manager)
        action = as_manager.action_dist_approve()
        # Two requests of level 1: the decision wizard lists them.
        self.assertEqual(action["res_model"], "dist.approval.decision")
        self.assertEqual(action["name"], "Approve")
        wizard = Form.from_action(as_manager.env, action)
        self.assertEqual(len(wizard.request_ids), 2)
        wizard.save().action_confirm()
        level1, level2 = (
            self.current_requests(order).filtered(lambda r: r.level == 1),
            self.current_requests(order).filtered(lambda r: r.level == 2),
        )
        self.assertEqual(set(level1.mapped("state")), {"approved"})
        self.assertEqual(level2.state, "pending", "one click, one level")
        self.assertEqual(order.state, "draft")

    def test_words_people_read(self):
        desk = self.env["res.groups"].create(
            {
                "name": "Credit Desk",
                "user_ids": [Command.set((self.finance | self.sales_manager2).ids)],
            }
        )
        self.make_rule(name="Discount", discount_above=10, approver_group_id=desk.id)
        order = self._discounted()
        request = self.current_requests(order)
        self.assertEqual(
            request.approvers_display,
            f"Credit Desk ({self.finance.name}, {self.sales_manager2.name})",
        )
        desk.user_ids |= self.sales_manager | self.dist_manager
        request.invalidate_recordset(["approvers_display"])
        self.assertEqual(request.approvers_display, "Credit Desk (4 people)")
        Request = self.env["dist.approval.request"]
        self.assertEqual(Request._dist_hours_words(0.5), "30 min")
        self.assertEqual(Request._dist_hours_words(71 / 60), "1 h 11 min")
        self.assertEqual(Request._dist_hours_words(24), "24 h")
        self.assertEqual(Request._dist_hours_words(75), "3 d 3 h")
        titles = {"approve": "Approve", "reject": "Reject", "override": "Override"}
        for decision, title in titles.items():
            self.assertEqual(request._dist_decision_wizard(decision)["name"], title)

    def test_facts_not_measured_are_not_printed_as_zero(self):
        self.make_rule(name="Credit", credit_limit_exceeded=True)
        self.make_rule(name="Discount", discount_above=10)
        order = self._discounted()
        request = self.current_requests(order)
        self.assertFalse(request.facts["credit"]["measured"])
        html = str(request.facts_html)
        self.assertIn("not checked: the customer has no credit limit", html)
        self.assertNotIn("receivable", html)
        self.assertIn("None", str(request.live_html), "nothing overdue reads None")

    def test_automation_requests_on_behalf_of_the_salesperson(self):
        self.make_rule(name="Discount", discount_above=10)
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}]
        )
        order.with_user(self.env.ref("base.user_root")).action_confirm()
        request = self.current_requests(order)
        self.assertEqual(request.requested_by, self.salesman)

    def test_simulator_takes_the_requester_into_account(self):
        self.make_rule(name="Margin", margin_below=10)
        self.make_rule(
            name="Big",
            amount_min=100,
            approver_group_id=False,
            approver_user_ids=[Command.set(self.dist_manager.ids)],
        )
        wizard = (
            self.env["dist.approval.simulation"]
            .with_user(self.dist_manager)
            .create({"document_type": "sale", "mode": "facts"})
        )
        self.assertEqual(wizard.requester_id, self.dist_manager)
        self.assertIn("No rule triggers", str(wizard.result_html), "margin starts at 100 %")
        wizard.amount = 500
        self.assertIn("No eligible approver", str(wizard.result_html))
        wizard.requester_id = self.salesman
        self.assertNotIn("No eligible approver", str(wizard.result_html))

    def test_matrix_warns_when_discounts_are_hidden(self):
        discounts = self.env.ref("sale.group_discount_per_so_line")
        employees = self.env.ref("base.group_user")
        employees.implied_ids -= discounts
        rule = self.make_rule(name="Discount", discount_above=10)
        self.assertTrue(rule.dist_discounts_hidden)
        employees.implied_ids |= discounts
        rule.invalidate_recordset(["dist_discounts_hidden"])
        self.assertFalse(rule.dist_discounts_hidden)
