# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ApprovalMatrixCase


@tagged("post_install", "-at_install")
class TestSaleGate(ApprovalMatrixCase):
    """Confirmation of sales orders goes through the matrix."""

    def test_no_rule_confirms_and_marks_nothing(self):
        order = self.make_order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.approval_state, "no matrix, no approval state")
        self.assertFalse(order.approval_request_ids)

    def test_rules_not_triggering_mark_not_required(self):
        self.make_rule(name="Big discount", check_discount=True, discount_above=50)
        order = self.make_order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.approval_state, "not_required")
        self.assertFalse(order.approval_request_ids)

    def test_discount_holds_order_until_approved(self):
        self.make_rule(
            name="Discount",
            check_discount=True,
            discount_above=15,
            partner_category_ids=[Command.set(self.tag_contract.ids)],
            sla_hours=8,
        )
        order = self.make_order(
            partner=self.contract_customer,
            lines=[{"product_id": self.product.id, "product_uom_qty": 5, "discount": 18}],
        )
        action = order.action_confirm()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.approval_state, "pending")
        request = self.current_requests(order)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.requested_by, self.salesman)
        self.assertEqual(request.reason, "Line discount 18% exceeds 15% for Contract partners")
        self.assertEqual(request.facts["discount"], 18.0)
        self.assertTrue(request.deadline)
        # Every approver has it on their to-do list, the salesman has not.
        self.assertIn(self.sales_manager, request.activity_ids.user_id)
        self.assertNotIn(self.salesman, request.activity_ids.user_id)
        # Confirming again does not bypass nor duplicate.
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(len(self.current_requests(order)), 1)

        my_queue = (
            self.env["dist.approval.request"]
            .with_user(self.sales_manager)
            .search([("can_decide", "=", True)])
        )
        self.assertIn(request, my_queue)
        request.with_user(self.sales_manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by, self.sales_manager)
        self.assertEqual(order.approval_state, "approved")
        self.assertEqual(order.state, "sale", "the approval completes the confirmation")
        self.assertFalse(request.activity_ids)
        notified = order.message_ids.filtered(lambda m: self.salesman.partner_id in m.partner_ids)
        self.assertTrue(notified, "the requester is told")

    def test_salesman_cannot_approve_or_bypass(self):
        self.make_rule(name="Discount", check_discount=True, discount_above=10)
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}]
        )
        order.action_confirm()
        request = self.current_requests(order)
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.salesman2).action_approve()
        with self.assertRaises(UserError):
            order.write({"state": "sale"})
        with self.assertRaises(UserError):
            order.write({"approval_state": "approved"})
        with self.assertRaises(UserError):
            request.with_user(self.salesman).action_override("because")
        with self.assertRaises(UserError):
            request.unlink()
        self.assertEqual(order.state, "draft")
        self.assertEqual(request.state, "pending")

    def test_raw_write_and_import_are_gated(self):
        self.make_rule(name="Discount", check_discount=True, discount_above=10)
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}]
        )
        with self.assertRaisesRegex(UserError, "need approval"):
            order.write({"state": "sale"})
        with self.assertRaisesRegex(UserError, "need approval"):
            self.env["sale.order"].with_user(self.salesman).create(
                {
                    "partner_id": self.customer.id,
                    "state": "sale",
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 1, "discount": 30}
                        )
                    ],
                }
            )
        result = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .load(
                ["partner_id/.id", "state", "order_line/product_id/.id", "order_line/discount"],
                [[str(self.customer.id), "sale", str(self.product.id), "30"]],
            )
        )
        self.assertFalse(result["ids"], "an import cannot create a confirmed order either")
        self.assertIn("need approval", str(result["messages"]))
        # A low-risk order can still be written confirmed.
        easy = self.make_order()
        easy.write({"state": "sale"})
        self.assertEqual(easy.state, "sale")

    def test_rejection_needs_reason_and_reopens(self):
        self.make_rule(name="Discount L1", check_discount=True, discount_above=10)
        self.make_rule(name="Discount L2", level=2, check_discount=True, discount_above=10)
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}]
        )
        order.action_confirm()
        level1, level2 = self.current_requests(order)
        self.assertEqual((level1.state, level2.state), ("pending", "waiting"))
        with self.assertRaises(UserError):
            level1.with_user(self.sales_manager).action_reject("  ")
        level1.with_user(self.sales_manager).action_reject("Price is below the floor")
        self.assertEqual(level1.state, "rejected")
        self.assertEqual(level2.state, "cancelled", "remaining requests are cancelled")
        self.assertTrue(level2.exists(), "never deleted")
        self.assertEqual(order.approval_state, "rejected")
        self.assertEqual(order.state, "draft")
        self.assertTrue(
            order.message_ids.filtered(lambda m: "Price is below the floor" in str(m.body))
        )
        # Fixing the order and confirming again asks again, keeping the history.
        order.order_line.discount = 5
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.approval_state, "not_required")
        self.assertEqual(len(order.approval_request_ids), 2)

    def test_change_of_facts_cancels_approvals(self):
        self.make_rule(name="Discount", check_discount=True, discount_above=10)
        self.make_rule(name="Second look", level=2, check_discount=True, discount_above=10)
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}]
        )
        order.action_confirm()
        level1, level2 = self.current_requests(order)
        level1.with_user(self.sales_manager).action_approve()
        self.assertEqual(level2.state, "pending")
        # A change that does not touch the facts keeps the approvals.
        order.note = "Deliver at the back door"
        order.client_order_ref = "PO-4711"
        self.assertEqual(order.approval_state, "pending")
        self.assertEqual(level1.state, "approved")
        # A change of discount cancels them (approved ones included).
        order.order_line.discount = 25
        self.assertEqual(level1.state, "cancelled")
        self.assertEqual(level2.state, "cancelled")
        self.assertFalse(order.approval_state)
        order.action_confirm()
        self.assertEqual(order.approval_state, "pending")
        self.assertEqual(len(self.current_requests(order)), 2)
        self.assertIn("25%", self.current_requests(order)[0].reason)

    def test_added_line_cancels_approvals(self):
        self.make_rule(name="Discount", check_discount=True, discount_above=10)
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}]
        )
        order.action_confirm()
        self.env["sale.order.line"].with_user(self.salesman).create(
            {"order_id": order.id, "product_id": self.product_other.id, "product_uom_qty": 3}
        )
        self.assertFalse(order.approval_state)
        self.assertEqual(order.approval_request_ids.state, "cancelled")


@tagged("post_install", "-at_install")
class TestSaleThresholds(ApprovalMatrixCase):
    """Each threshold and scope, alone."""

    def assertHeld(self, order, held=True):
        order.action_confirm()
        expected = ("draft", "pending") if held else ("sale", "not_required")
        self.assertEqual((order.state, order.approval_state), expected)

    def test_amount_bounds_in_company_currency(self):
        self.make_rule(name="Mid", amount_min=1000, amount_max=5000)
        orders = {
            qty: self.make_order(lines=[{"product_id": self.product.id, "product_uom_qty": qty}])
            for qty in (5, 20, 80)
        }
        self.assertHeld(orders[5], held=False)
        self.assertHeld(orders[20])
        self.assertHeld(orders[80], held=False)

    def test_foreign_currency_compared_in_company_currency(self):
        foreign = self.env["res.currency"].create({"name": "DXC", "symbol": "Đ", "rounding": 0.01})
        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "rate": 10.0, "company_id": self.company.id}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "DXC list", "currency_id": foreign.id, "company_id": self.company.id}
        )
        self.make_rule(name="Above 5000", amount_min=5000)
        # 300 units at 100 = 30,000 DXC = 3,000 in company currency: below.
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 300, "price_unit": 100}],
            pricelist_id=pricelist.id,
        )
        self.assertEqual(order.currency_id, foreign)
        self.assertHeld(order, held=False)
        # 600 units = 60,000 DXC = 6,000: above.
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 600, "price_unit": 100}],
            pricelist_id=pricelist.id,
        )
        self.assertHeld(order)
        self.assertAlmostEqual(self.current_requests(order).facts["amount"], 6000.0)

    def test_margin_below(self):
        self.make_rule(name="Thin margin", check_margin=True, margin_below=30)
        self.assertHeld(self.make_order(), held=False)  # 40 % margin
        thin = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 75}]
        )
        self.assertHeld(thin)
        self.assertIn("Margin 20% is below 30%", self.current_requests(thin).reason)

    def test_credit_limit_exceeded(self):
        self.make_rule(name="Credit", credit_limit_exceeded=True)
        self.customer.with_company(self.company).credit_limit = 1500
        # Company setting off: Odoo's credit check is off, so is the rule.
        first = self.make_order()  # 10 x 100
        self.assertHeld(first, held=False)
        self.company.account_use_credit_limit = True
        # The first order now counts as amount to invoice: 1,000+ and 500+ > 1,500.
        order = self.make_order(lines=[{"product_id": self.product.id, "product_uom_qty": 5}])
        self.assertHeld(order)
        facts = self.current_requests(order).facts["credit"]
        self.assertTrue(facts["exceeded"])
        self.assertAlmostEqual(facts["to_invoice"], first.amount_total)
        self.assertAlmostEqual(facts["document"], order.amount_total)
        self.assertEqual(facts["limit"], 1500)
        # A customer without limit is not held.
        self.assertHeld(
            self.make_order(partner=self.contract_customer, lines=[
                {"product_id": self.product.id, "product_uom_qty": 50}
            ]),
            held=False,
        )  # fmt: skip

    def test_overdue_invoices(self):
        self.make_rule(name="Overdue", check_overdue=True, overdue_days_above=30)
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": fields.Date.today() - timedelta(days=60),
                "invoice_date_due": fields.Date.today() - timedelta(days=45),
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "price_unit": 100})
                ],
            }
        )
        self.assertHeld(self.make_order(), held=False)  # draft invoices do not count
        invoice.action_post()
        order = self.make_order()
        self.assertHeld(order)
        self.assertEqual(self.current_requests(order).facts["overdue"]["days"], 45)

    def test_scopes(self):
        other_warehouse = self.env["stock.warehouse"].create(
            {"name": "North", "code": "NRTH", "company_id": self.company.id}
        )
        scoped = {"apply_always": True}
        self.make_rule(name="North", warehouse_ids=[Command.set(other_warehouse.ids)], **scoped)
        self.make_rule(name="Team", team_ids=[Command.set(self.team.ids)], **scoped)
        self.make_rule(
            name="Fragile", product_category_ids=[Command.set(self.categ_root.ids)], **scoped
        )
        self.make_rule(
            name="Contract", partner_category_ids=[Command.set(self.tag_contract.ids)], **scoped
        )
        # None of the scopes: passes.
        self.assertHeld(
            self.make_order(lines=[{"product_id": self.product_other.id, "product_uom_qty": 1}]),
            held=False,
        )
        cases = {
            "North": {"warehouse_id": other_warehouse.id},
            "Team": {"team_id": self.team.id},
            "Fragile": {},  # product in a sub-category of the rule's category
            "Contract": {"partner": self.contract_customer},  # sub-tag of the rule's tag
        }
        for rule_name, vals in cases.items():
            with self.subTest(rule=rule_name):
                partner = vals.pop("partner", None)
                product = self.product if rule_name == "Fragile" else self.product_other
                order = self.make_order(
                    partner=partner,
                    lines=[{"product_id": product.id, "product_uom_qty": 1}],
                    **vals,
                )
                self.assertHeld(order)
                self.assertEqual(self.current_requests(order).rule_id.name, rule_name)


@tagged("post_install", "-at_install")
class TestApproverWorkflow(ApprovalMatrixCase):
    """Levels, N of M, segregation of duties, delegation, escalation, override."""

    def _held_order(self):
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}]
        )
        order.action_confirm()
        return order

    def test_levels_in_sequence_and_one_person_one_level(self):
        self.make_rule(name="L1", check_discount=True, discount_above=10)
        self.make_rule(
            name="L2",
            level=2,
            check_discount=True,
            discount_above=10,
            approver_group_id=False,
            approver_user_ids=[Command.set((self.sales_manager | self.finance).ids)],
        )
        order = self._held_order()
        level1, level2 = self.current_requests(order)
        self.assertFalse(level2.with_user(self.finance).can_decide, "level 2 waits")
        with self.assertRaises(UserError):
            level2.with_user(self.finance).action_approve()
        level1.with_user(self.sales_manager).action_approve()
        self.assertEqual(level2.state, "pending")
        self.assertEqual(order.state, "draft")
        with self.assertRaises(AccessError):
            level2.with_user(self.sales_manager).action_approve()
        level2.with_user(self.finance).action_approve()
        self.assertEqual(order.state, "sale")

    def test_rule_may_allow_same_approver_on_levels(self):
        self.make_rule(name="L1", check_discount=True, discount_above=10)
        self.make_rule(
            name="L2", level=2, check_discount=True, discount_above=10, allow_multi_level=True
        )
        order = self._held_order()
        level1, level2 = self.current_requests(order)
        level1.with_user(self.sales_manager).action_approve()
        level2.with_user(self.sales_manager).action_approve()
        self.assertEqual(order.state, "sale")

    def test_n_of_m(self):
        self.make_rule(
            name="Two of three",
            check_discount=True,
            discount_above=10,
            approver_group_id=False,
            approver_user_ids=[
                Command.set((self.sales_manager | self.sales_manager2 | self.finance).ids)
            ],
            approvals_required=2,
        )
        order = self._held_order()
        request = self.current_requests(order)
        request.with_user(self.sales_manager).action_approve()
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.approval_count, 1)
        with self.assertRaises(UserError):
            request.with_user(self.sales_manager).action_approve()
        request.with_user(self.finance).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(order.state, "sale")
        self.assertEqual(request.vote_ids.user_id, self.sales_manager | self.finance)

    def test_salesperson_cannot_approve_own_customer_order(self):
        self.make_rule(name="Discount", check_discount=True, discount_above=10)
        # A sales manager who is the order's salesperson, order entered by an assistant.
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}],
        )
        order.sudo().user_id = self.sales_manager
        order.with_user(self.salesman).action_confirm()
        request = self.current_requests(order)
        self.assertIn(self.sales_manager, request.excluded_user_ids)
        with self.assertRaises(AccessError):
            request.with_user(self.sales_manager).action_approve()
        request.with_user(self.sales_manager2).action_approve()
        self.assertEqual(order.state, "sale")

    def test_delegation(self):
        self.make_rule(
            name="Named",
            check_discount=True,
            discount_above=10,
            approver_group_id=False,
            approver_user_ids=[Command.set(self.sales_manager.ids)],
        )
        today = fields.Date.today()
        delegation = (
            self.env["dist.approval.delegation"]
            .with_user(self.sales_manager)
            .create(
                {
                    "delegate_id": self.finance.id,
                    "date_from": today - timedelta(days=1),
                    "date_to": today + timedelta(days=5),
                }
            )
        )
        order = self._held_order()
        request = self.current_requests(order)
        self.assertIn(self.finance, request.activity_ids.user_id, "the delegate is told")
        self.assertTrue(request.with_user(self.finance).can_decide)
        request.with_user(self.finance).action_approve()
        self.assertEqual(request.decided_by, self.finance)
        self.assertEqual(request.on_behalf_of_id, self.sales_manager)
        self.assertEqual(request.vote_ids.on_behalf_of_id, self.sales_manager)
        # The delegate cannot change the delegation.
        with self.assertRaises(AccessError):
            delegation.with_user(self.finance).write({"date_to": today + timedelta(days=30)})
        # Outside the date range the delegate has no say.
        delegation.date_to = today - timedelta(days=1)
        delegation.date_from = today - timedelta(days=3)
        order2 = self._held_order()
        self.assertFalse(self.current_requests(order2).with_user(self.finance).can_decide)

    def test_escalation_once(self):
        self.make_rule(
            name="Fast",
            check_discount=True,
            discount_above=10,
            sla_hours=4,
            escalation_user_id=self.dist_manager.id,
        )
        with freeze_time("2026-03-02 08:00:00"):
            order = self._held_order()
            request = self.current_requests(order)
        Request = self.env["dist.approval.request"]
        with freeze_time("2026-03-02 11:00:00"):
            Request._dist_escalate_overdue()
            self.assertFalse(request.is_overdue)
            self.assertEqual(request.sla_state, "due_soon")
        with freeze_time("2026-03-02 13:00:00"):
            Request._dist_escalate_overdue()
            self.assertTrue(request.is_overdue)
            request.invalidate_recordset(["sla_state"])
            self.assertEqual(request.sla_state, "late")
            escalations = request.activity_ids.filtered(
                lambda a: a.user_id == self.dist_manager and a.summary.startswith("Overdue")
            )
            self.assertEqual(len(escalations), 1)
            overdue = Request.search([("is_overdue", "=", True), ("state", "=", "pending")])
            self.assertIn(request, overdue)
        with freeze_time("2026-03-03 13:00:00"):
            Request._dist_escalate_overdue()
            escalations = request.activity_ids.filtered(
                lambda a: a.user_id == self.dist_manager and a.summary.startswith("Overdue")
            )
            self.assertEqual(len(escalations), 1, "no reminder loop")

    def test_override(self):
        self.make_rule(name="L1", check_discount=True, discount_above=10)
        self.make_rule(name="L2", level=2, check_discount=True, discount_above=10)
        order = self._held_order()
        level1, level2 = self.current_requests(order)
        with self.assertRaises(AccessError):
            level1.with_user(self.sales_manager).action_override("urgent")
        with self.assertRaises(UserError):
            (level1 | level2).with_user(self.dist_manager).action_override("")
        (level1 | level2).with_user(self.dist_manager).action_override("Key account, CEO asked")
        self.assertEqual(order.state, "sale")
        self.assertTrue(all(level1.mapped("is_override")) and level2.is_override)
        self.assertEqual(
            self.env["dist.approval.request"].search_count([("is_override", "=", True)]), 2
        )


@tagged("post_install", "-at_install")
class TestMultiCompany(ApprovalMatrixCase):
    def test_rules_and_requests_stay_in_their_company(self):
        company_b = self.env["res.company"].create({"name": "Dist B"})
        self.env["dist.approval.rule"].create(
            {
                "name": "B: everything",
                "document_type": "sale",
                "apply_always": True,
                "level": 1,
                "company_id": company_b.id,
                "approver_group_id": self.env.ref("sales_team.group_sale_manager").id,
            }
        )
        order = self.make_order()
        order.action_confirm()
        self.assertEqual(order.state, "sale", "a rule of company B does not apply in A")
        self.assertFalse(order.approval_state)

        user_b = self.env["res.users"].create(
            {
                "name": "Seller B",
                "login": "seller_b",
                "company_id": company_b.id,
                "company_ids": [Command.set(company_b.ids)],
                "group_ids": [Command.set(self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        partner_b = self.env["res.partner"].create(
            {"name": "B customer", "company_id": company_b.id}
        )
        order_b = (
            self.env["sale.order"]
            .with_user(user_b)
            .with_company(company_b)
            .create(
                {
                    "partner_id": partner_b.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        order_b.action_confirm()
        self.assertEqual(order_b.approval_state, "pending")
        # Company A's users see neither B's rules nor B's requests.
        Request = self.env["dist.approval.request"].with_user(self.sales_manager)
        self.assertFalse(Request.search([("company_id", "=", company_b.id)]))
        self.assertFalse(
            self.env["dist.approval.rule"]
            .with_user(self.sales_manager)
            .search([("company_id", "=", company_b.id)])
        )


@tagged("post_install", "-at_install")
class TestApproverWithoutDocumentRights(ApprovalMatrixCase):
    """An approver the matrix names decides, whatever their rights on the document."""

    def test_finance_approver_with_own_documents_only_completes_the_approval(self):
        finance = new_test_user(
            self.env,
            "dist_finance_own",
            groups="base.group_user,account.group_account_manager,sales_team.group_sale_salesman",
        )
        self.make_rule(name="Discount", discount_above=10)
        self.make_rule(
            name="Big order",
            level=2,
            amount_min=500,
            approver_group_id=False,
            approver_user_ids=[Command.set(finance.ids)],
        )
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 10, "discount": 20}]
        )
        order.action_confirm()
        level1, level2 = self.current_requests(order)
        level1.with_user(self.sales_manager).action_approve()
        self.assertEqual(level2.state, "pending")
        self.assertFalse(order.with_user(finance).has_access("read"), "not her order")

        # She has the activity, opens the request with its facts, and decides.
        self.assertTrue(
            self.env["mail.activity"]
            .with_user(finance)
            .search(
                [
                    ("res_model", "=", "dist.approval.request"),
                    ("res_id", "=", level2.id),
                    ("user_id", "=", finance.id),
                ]
            )
        )
        request = level2.with_user(finance)
        self.assertTrue(request.can_decide)
        form = Form(request)
        self.assertIn("Untaxed amount", str(form.facts_html))
        self.assertTrue(form.live_html)
        self.assertFalse(form.document_ref, "no link she could not open")
        request.action_approve()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.approval_state, "approved")
        self.assertEqual(level2.decided_by, finance)
        self.assertIn(
            "All approvals were given by dist_finance_own", order.message_ids.mapped("body")[0]
        )
