# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import DistKpiCase


@tagged("post_install", "-at_install")
class TestDashboardTour(DistKpiCase, HttpCase):
    def test_open_dashboard_change_period_open_failing_lines(self):
        """A manager opens the control tower, narrows the period, clicks the
        OTIF tile and lands on the late line."""
        now = fields.Datetime.now()
        customer = self._customer("Tour Customer")
        order = self._order(
            now - timedelta(days=3),
            [(self.product, 5)],
            partner=customer,
            commitment=now - timedelta(days=2),
        )
        self._ship(order.picking_ids, now - timedelta(hours=1))
        self.assertEqual(self._facts(order).failure, "late")
        self.start_tour(
            "/odoo/action-dist_kpi.dist_kpi_dashboard_action",
            "dist_kpi_dashboard_tour",
            login=self.analyst.login,
        )
