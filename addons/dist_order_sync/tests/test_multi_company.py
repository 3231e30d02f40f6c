# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DistOrderSyncCommon


@tagged("post_install", "-at_install")
class TestMultiCompanyCurrency(DistOrderSyncCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._dist_second_company("Distribution South")
        cls.company_2.dist_billing_policy = "delivery"
        cls.billing_user_2 = cls._dist_user(
            "dist_billing_user", "account.group_account_invoice", cls.company_2
        )
        cls.company_2.dist_billing_user_id = cls.billing_user_2
        cls.eur = cls.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])

    def test_policy_is_per_company(self):
        shared = self._create_customer("Shared Customer", None)
        self.assertEqual(shared.dist_billing_policy, "manual")
        self.assertEqual(shared.with_company(self.company_2).dist_billing_policy, "delivery")
        shared.with_company(self.company_2).dist_billing_policy = "consolidated"
        self.assertEqual(shared.dist_billing_policy, "manual")

        order_1 = self._create_order(shared)
        self._deliver(order_1.picking_ids)
        self.assertFalse(order_1.invoice_ids)

        shared.with_company(self.company_2).dist_billing_policy = "delivery"
        order_2 = self._create_order(shared, user=self.salesman_2)
        picking = self._deliver(order_2.picking_ids, user=self.stock_user_2)
        invoice = picking.dist_invoice_ids
        self.assertEqual(invoice.company_id, self.company_2)
        self.assertEqual(invoice.journal_id.company_id, self.company_2)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self._invoiced(invoice), 10.0)

    def test_failure_goes_to_the_company_billing_responsible(self):
        self.env["account.journal"].search(
            [("company_id", "=", self.company_2.id), ("type", "=", "sale")]
        ).active = False
        order = self._create_order(self.customer_manual, user=self.salesman_2)
        picking = self._deliver(order.picking_ids, user=self.stock_user_2)
        exception = picking.dist_exception_ids
        self.assertEqual(exception.exception_type, "billing_failure")
        self.assertEqual(exception.company_id, self.company_2)
        self.assertEqual(exception.user_id, self.billing_user_2)
        self.assertFalse(exception.with_user(self.billing_user).search([("id", "=", exception.id)]))

    def test_foreign_currency(self):
        pricelist = self.env["product.pricelist"].create(
            {"name": "Euro", "currency_id": self.eur.id}
        )
        order = self._create_order(
            self.customer_delivery, [(self.product, 3.0)], pricelist_id=pricelist.id
        )
        self.assertEqual(order.currency_id, self.eur)
        line = order.order_line
        picking = self._deliver(order.picking_ids)
        invoice = picking.dist_invoice_ids
        self.assertEqual(invoice.currency_id, self.eur)
        self.assertEqual(invoice.invoice_line_ids.price_unit, line.price_unit)
        self.assertAlmostEqual(invoice.amount_untaxed, line.price_unit * 3.0)
        self.assertAlmostEqual(invoice.amount_untaxed_signed, line.price_unit * 3.0 / 0.5)

    def test_routing_rule_owner_belongs_to_its_company(self):
        Rule = self.env["dist.exception.rule"].sudo()
        with self.assertRaises(UserError):
            Rule.create(
                {
                    "company_id": self.company_2.id,
                    "exception_type": "late_delivery",
                    "user_id": self.salesman.id,
                }
            )
        rule = Rule.create(
            {
                "company_id": self.company_2.id,
                "exception_type": "late_delivery",
                "user_id": self.salesman_2.id,
            }
        )
        self.assertEqual(rule.user_id, self.salesman_2)
