# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users, warmup

from .common import ApprovalMatrixCase


@tagged("post_install", "-at_install")
class TestRuleConfiguration(ApprovalMatrixCase):
    def test_invalid_configuration_is_refused(self):
        cases = {
            "above 'Amount Up To'": {"amount_min": 500, "amount_max": 100},
            "between 0 and 100": {"check_discount": True, "discount_above": 120},
            "cannot be negative": {"amount_min": -1},
            "has no approvers": {"approver_group_id": False, "apply_always": True},
            "requires 3 approvals": {
                "apply_always": True,
                "approver_group_id": False,
                "approver_user_ids": [Command.set(self.sales_manager.ids)],
                "approvals_required": 3,
            },
            "no level 2": {"level": 3, "apply_always": True},
            "do not apply": {"document_type": "inventory", "check_margin": True},
        }
        self.make_rule(name="Level one", apply_always=True)
        for message, vals in cases.items():
            with self.subTest(message), self.assertRaisesRegex(ValidationError, message):
                self.make_rule(name="Bad", **vals)

    def test_a_threshold_value_means_what_it_says(self):
        """A value set alone, as an import or an RPC client does, is a condition."""
        Rule = self.env["dist.approval.rule"].with_user(self.dist_manager)
        group = self.env.ref("sales_team.group_sale_manager").id
        rule = Rule.create(
            {
                "name": "RPC",
                "document_type": "sale",
                "discount_above": 15,
                "approver_group_id": group,
            }
        )
        self.assertTrue(rule.check_discount)
        self.assertEqual(rule.condition_summary, "discount > 15%")
        rule.write({"margin_below": 5})
        self.assertTrue(rule.check_margin)
        rule.write({"check_margin": False})
        self.assertEqual(rule.condition_summary, "discount > 15%")
        easy = self.make_order(lines=[{"product_id": self.product.id, "discount": 10}])
        easy.action_confirm()
        self.assertEqual(easy.state, "sale", "10% is under the threshold: no catch-all")

        result = Rule.load(
            ["name", "document_type", "overdue_days_above", "approver_group_id/.id"],
            [["Imported", "sale", "30", str(group)]],
        )
        imported = Rule.browse(result["ids"])
        self.assertTrue(imported.check_overdue, result["messages"])
        self.assertEqual(imported.condition_summary, "overdue > 30 days")

    def test_a_rule_without_condition_is_asked_for_explicitly(self):
        with self.assertRaisesRegex(ValidationError, "Every Document in Scope"):
            self.make_rule(name="Nothing set")
        rule = self.make_rule(name="Everything", apply_always=True)
        self.assertEqual(rule.condition_summary, "Every document in scope")
        with self.assertRaisesRegex(ValidationError, "has no threshold"):
            rule.apply_always = False

    def test_rules_stay_in_their_company(self):
        company_b = self.env["res.company"].create({"name": "Dist B"})
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)])
        user_b = self.env["res.users"].create(
            {
                "name": "Approver B",
                "login": "approver_b",
                "company_id": company_b.id,
                "company_ids": [Command.set(company_b.ids)],
            }
        )
        cases = {
            "warehouse": {"warehouse_ids": [Command.set(warehouse_b.ids)]},
            "approver": {"approver_user_ids": [Command.set(user_b.ids)]},
            "escalation": {"escalation_user_id": user_b.id},
        }
        for what, vals in cases.items():
            with self.subTest(what), self.assertRaises(UserError):
                self.make_rule(name=f"Cross {what}", apply_always=True, **vals)

    def test_evidence_is_required_before_approval_is_asked(self):
        self.make_rule(
            name="Big discount",
            discount_above=15,
            evidence_required=True,
            evidence_label="the customer's written request",
        )
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}]
        )
        with self.assertRaisesRegex(UserError, "the customer's written request"):
            order.action_confirm()
        self.assertFalse(order.approval_request_ids)
        self.env["ir.attachment"].with_user(self.salesman).create(
            {"name": "request.pdf", "res_model": "sale.order", "res_id": order.id, "raw": b"%PDF"}
        )
        order.action_confirm()
        self.assertEqual(order.approval_state, "pending")

    def test_archiving_a_middle_level_is_refused(self):
        level1 = self.make_rule(name="L1", apply_always=True)
        self.make_rule(name="L2", level=2, apply_always=True)
        with self.assertRaisesRegex(ValidationError, "no level 1"):
            level1.active = False

    def test_used_rule_is_archived_not_deleted(self):
        rule = self.make_rule(name="Discount", check_discount=True, discount_above=10)
        order = self.make_order(
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 20}]
        )
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "archive them"):
            rule.unlink()
        rule.active = False
        self.assertEqual(order.approval_request_ids.rule_id, rule)
        unused = self.make_rule(name="Unused", check_discount=True, discount_above=90)
        unused.unlink()

    def test_only_managers_edit_the_matrix(self):
        rule = self.make_rule(name="Discount", check_discount=True, discount_above=10)
        with self.assertRaises(AccessError):
            rule.with_user(self.sales_manager).write({"discount_above": 50})
        rule.with_user(self.dist_manager).write({"discount_above": 50})
        self.assertEqual(rule.discount_above, 50)

    def test_simulation_shows_levels_and_creates_nothing(self):
        self.make_rule(
            name="Contract discount",
            check_discount=True,
            discount_above=10,
            partner_category_ids=[Command.set(self.tag_contract.ids)],
        )
        self.make_rule(
            name="Big order",
            level=2,
            amount_min=10000,
            approver_group_id=False,
            approver_user_ids=[Command.set(self.finance.ids)],
        )
        Request = self.env["dist.approval.request"]
        before = Request.search_count([])
        wizard = (
            self.env["dist.approval.simulation"]
            .with_user(self.dist_manager)
            .create(
                {
                    "document_type": "sale",
                    "amount": 20000,
                    "discount": 12,
                    "partner_category_ids": [Command.set(self.tag_contract_gold.ids)],
                }
            )
        )
        html = str(wizard.result_html)
        self.assertIn("2 of 2 rules trigger", html)
        self.assertIn("Line discount 12% exceeds 10% for Contract partners", html)
        self.assertIn(self.finance.name, html)
        wizard.discount = 5
        wizard.amount = 100
        self.assertIn("No rule triggers", str(wizard.result_html))

        order = self.make_order(
            partner=self.contract_customer,
            lines=[{"product_id": self.product.id, "product_uom_qty": 1, "discount": 15}],
        )
        wizard.write({"mode": "document", "sale_order_id": order.id})
        self.assertIn("1 of 2 rules trigger", str(wizard.result_html))
        self.assertEqual(Request.search_count([]), before)
        self.assertFalse(order.approval_state)


class ConfirmationQueries:
    """The matrix costs the same few queries per confirmation, whatever the
    number of rules and lines: rules load once (cached), facts are computed
    once per document and only those the rules read.

    Each test class fixes the number of rules and lines; the counts are
    Odoo's own plus the matrix's (warm caches, as in a running server) so
    that a regression shows. A mixin, not a test case: collected only
    through the classes below.
    """

    RULES = 50
    LINES = 10

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        other_tag = cls.env["res.partner.category"].create({"name": "Nobody"})
        for index in range(cls.RULES):
            cls.make_rule(
                name=f"Rule {index}",
                amount_min=10_000_000 + index,
                check_discount=True,
                discount_above=50,
                check_margin=True,
                margin_below=1,
                check_overdue=True,
                overdue_days_above=365,
                # Half the rules have a scope the orders are outside of.
                partner_category_ids=[Command.set(other_tag.ids)] if index % 2 else [],
            )

    @users("dist_salesman")
    @warmup
    def test_confirmation_queries(self):
        lines = [{"product_id": self.product.id, "product_uom_qty": 1, "discount": 5}] * self.LINES
        order = self.make_order(user=self.env.user, lines=lines)
        self.env.flush_all()
        self.env.invalidate_all()
        expected = ODOO_CONFIRM_QUERIES[self.LINES] + (MATRIX_QUERIES if self.RULES else 0)
        with self.assertQueryCount(dist_salesman=expected):
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.approval_state, "not_required" if self.RULES else False)


@tagged("post_install", "-at_install", "dist_query_count")
class TestConfirmationQueries50Rules(ConfirmationQueries, ApprovalMatrixCase):
    RULES = 50


@tagged("post_install", "-at_install", "dist_query_count")
class TestConfirmationQueries5Rules(ConfirmationQueries, ApprovalMatrixCase):
    RULES = 5


@tagged("post_install", "-at_install", "dist_query_count")
class TestConfirmationQueriesNoRule(ConfirmationQueries, ApprovalMatrixCase):
    RULES = 0


@tagged("post_install", "-at_install", "dist_query_count")
class TestConfirmationQueries50Rules1Line(ConfirmationQueries, ApprovalMatrixCase):
    RULES = 50
    LINES = 1


@tagged("post_install", "-at_install", "dist_query_count")
class TestConfirmationQueriesNoRule1Line(ConfirmationQueries, ApprovalMatrixCase):
    RULES = 0
    LINES = 1


# Odoo's own confirmation (no rule), by number of lines, for the salesman.
ODOO_CONFIRM_QUERIES = {1: 82, 10: 118}
# What the matrix adds: overdue invoices of the customer (one grouped query)
# and the partner's tags for the scoped rules.
MATRIX_QUERIES = 2
