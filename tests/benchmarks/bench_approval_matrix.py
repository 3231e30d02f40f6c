"""Benchmark: confirming sales orders through the approval matrix.

Confirms the same kind of orders (10 lines, then 1 line) on one database
with no rule, then with 5 and 50 rules none of which triggers (each reading
amount, discount, margin, overdue invoices, half of them scoped), and prints
time ratios and queries per order against Odoo's own confirmation (no rule).

Targets (issue #3): time ratio <= 1.05 and at most 3 extra queries per order,
independent of the number of rules and lines. Run with ``make bench``.
"""

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import timed

ORDERS_PER_ROUND = 25
ROUNDS = 4
TIME_TARGET = 1.05
EXTRA_QUERIES_TARGET = 3


@tagged("post_install", "-at_install", "dist_bench")
class BenchApprovalMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.salesman = new_test_user(
            cls.env, "bench_salesman", groups="base.group_user,sales_team.group_sale_salesman"
        )
        cls.products = cls.env["product.product"].create(
            [
                {
                    "name": f"Bench product {i}",
                    "type": "consu",
                    "list_price": 100 + i,
                    "standard_price": 60,
                }
                for i in range(10)
            ]
        )
        cls.customer = cls.env["res.partner"].create({"name": "Bench customer"})
        tag = cls.env["res.partner.category"].create({"name": "Bench elsewhere"})
        manager_group = cls.env.ref("sales_team.group_sale_manager")
        cls.rules = cls.env["dist.approval.rule"].create(
            [
                {
                    "name": f"Bench rule {i}",
                    "document_type": "sale",
                    "level": 1,
                    "active": False,
                    "amount_min": 10_000_000 + i,
                    "check_discount": True,
                    "discount_above": 50,
                    "check_margin": True,
                    "margin_below": 1,
                    "check_overdue": True,
                    "overdue_days_above": 365,
                    "partner_category_ids": [Command.set(tag.ids)] if i % 2 else [],
                    "approver_group_id": manager_group.id,
                }
                for i in range(50)
            ]
        )

    def _orders(self, count, lines):
        Order = self.env["sale.order"].with_user(self.salesman)
        return Order.create(
            [
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 2, "discount": 5}
                        )
                        for product in self.products[:lines]
                    ],
                }
                for _i in range(count)
            ]
        )

    def _set_rules(self, count):
        self.rules.active = False
        self.rules[:count].active = True
        self.env.flush_all()
        # Warm the caches the change cleared, as the first request after it would.
        self._orders(2, 1).action_confirm()
        self.env.flush_all()

    def _confirm(self, orders):
        """Seconds and queries to confirm the orders one by one."""

        def confirm():
            for order in orders:
                order.action_confirm()
                self.env.flush_all()

        return timed(self.env, confirm)[:2]

    def test_bench_confirmation(self):
        variants = [(0, 10), (5, 10), (50, 10), (0, 1), (50, 1)]
        totals = {variant: [0.0, 0, 0] for variant in variants}
        for _round in range(ROUNDS):
            # Interleave the variants so that drift hits them alike.
            for rules, lines in variants:
                self._set_rules(rules)
                orders = self._orders(ORDERS_PER_ROUND, lines)
                seconds, queries = self._confirm(orders)
                assert all(o.state == "sale" for o in orders)
                totals[rules, lines][0] += seconds
                totals[rules, lines][1] += queries
                totals[rules, lines][2] += len(orders)

        print("\nApproval matrix: confirmation of sales orders, one by one")
        print(f"{'rules':>6} {'lines':>6} {'orders':>7} {'ms/order':>9} {'q/order':>8}"
              f" {'time ratio':>11} {'extra q':>8}")  # fmt: skip
        extra = {}
        for rules, lines in variants:
            seconds, queries, count = totals[rules, lines]
            base_seconds, base_queries, base_count = totals[0, lines]
            ratio = (seconds / count) / (base_seconds / base_count)
            extra[rules, lines] = queries / count - base_queries / base_count
            print(
                f"{rules:>6} {lines:>6} {count:>7} {1000 * seconds / count:>9.1f} "
                f"{queries / count:>8.1f} {ratio:>10.3f}x {extra[rules, lines]:>8.1f}"
            )
        ratio_50 = (totals[50, 10][0] / totals[50, 10][2]) / (totals[0, 10][0] / totals[0, 10][2])
        print(
            f"50 rules vs none, 10 lines: {ratio_50:.3f}x (target <= {TIME_TARGET}), "
            f"{extra[50, 10]:.1f} extra queries per order (target <= {EXTRA_QUERIES_TARGET})"
        )
        # Query counts are deterministic: hold them to the target.
        self.assertLessEqual(extra[50, 10], EXTRA_QUERIES_TARGET)
        self.assertLess(abs(extra[5, 10] - extra[50, 10]), 1, "independent of the number of rules")
        self.assertLess(abs(extra[50, 1] - extra[50, 10]), 1, "independent of the number of lines")
