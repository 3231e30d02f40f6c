# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from contextlib import contextmanager

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DistOrderRiskCommon

# A write of the risk, the replenishment or the customer updates.
RISK_WRITE = re.compile(
    r"^\s*(UPDATE|INSERT|DELETE)\b.*dist_(risk|promise|estimated|notified|replenishment)",
    re.IGNORECASE | re.DOTALL,
)


@tagged("post_install", "-at_install", "dist_risk_queries")
class TestOrderRiskQueries(DistOrderRiskCommon):
    """The risk is the scanner's work: confirming an order and validating a
    delivery run as many queries whether orders were scored or not, and none
    of them writes the risk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_manual.dist_order_notify = "notify"
        cls.company.dist_replenish_auto = True

    @contextmanager
    def _queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        queries = []
        with contextmanager(self._patchExecute)(queries):
            yield queries

    def _confirm(self, order):
        with self._queries() as queries:
            order.action_confirm()
        return queries

    def _validate(self, order):
        picking = order.picking_ids.with_user(self.stock_user)
        picking.move_ids.write({"quantity": 2, "picked": True})
        with self._queries() as queries:
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        return queries

    def assertNoRisk(self, queries):
        touching = [query for query in queries if RISK_WRITE.search(str(query))]
        self.assertFalse(touching, "\n".join(map(str, touching)))

    def _scan(self):
        self.assertTrue(self.env["dist.exception.scanner"]._dist_scan())

    @freeze_time(DistOrderRiskCommon.NOW)
    def test_confirm_and_validate_cost_nothing_for_the_risk(self):
        in_stock = [self.product, self.product_b]
        short = [self.product, self.gearbox]
        deliveries = [self._quotation([(p, 2) for p in in_stock]) for __ in range(3)]
        for order in deliveries:
            order.action_confirm()
        quotations = [self._quotation([(p, 2) for p in short]) for __ in range(3)]
        # Warm both paths up, then count before and after a scan.
        self._confirm(quotations[0])
        self._validate(deliveries[0])
        confirm_unscored = self._confirm(quotations[1])
        validate_unscored = self._validate(deliveries[1])

        self._scan()
        self.assertEqual(quotations[1].dist_risk_level, "high")
        self.assertTrue(self._open_exceptions("at_risk", quotations[1]))
        self.assertEqual(deliveries[2].dist_risk_level, "none")
        confirm_scored = self._confirm(quotations[2])
        validate_scored = self._validate(deliveries[2])

        self.assertEqual(len(confirm_scored), len(confirm_unscored))
        self.assertEqual(len(validate_scored), len(validate_unscored))
        self.assertNoRisk(confirm_unscored + confirm_scored + validate_unscored + validate_scored)
