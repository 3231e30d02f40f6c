# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.dist_kpi.models.dist_kpi_fulfilment import DistKpiFulfilment

from .common import DistKpiCase
from .test_dashboard import MARCH, NOW


@tagged("post_install", "-at_install", "dist_kpi_query_count")
class TestQueryCount(DistKpiCase):
    def _validation_queries(self, picking):
        """Queries of the warehouse user's validation, then of the commit."""
        picking = picking.with_user(self.stock_user)
        picking.move_ids.quantity = 10
        picking.move_ids.picked = True
        self.env.flush_all()
        start = self.env.cr.sql_log_count
        picking.button_validate()
        self.env.flush_all()
        validated = self.env.cr.sql_log_count
        self.env.cr.flush()
        return validated - start, self.env.cr.sql_log_count - validated

    def test_stamping_costs_one_query_at_commit(self):
        orders = [
            self._order("2025-03-03 08:00", [(self.product, 10)], commitment="2025-03-05 12:00")
            for __ in range(3)
        ]
        with freeze_time("2025-03-04 10:00"):
            self._validation_queries(orders[0].picking_ids)
            with patch.object(DistKpiFulfilment, "_dist_stamp_later", lambda *a, **kw: None):
                odoo_only = self._validation_queries(orders[1].picking_ids)
            ours = self._validation_queries(orders[2].picking_ids)
        self.assertEqual(odoo_only[1], 0, "Odoo's commit writes nothing more")
        self.assertEqual(ours[0], odoo_only[0], "the validation itself costs no query more")
        self.assertEqual(
            ours[1], 2, "the facts are stamped in one statement at commit (and JIT set off)"
        )
        self.assertTrue(self._facts(orders[2]).order_otif)
        self.assertFalse(self._facts(orders[1]), "not stamped without the hook")

    def test_dashboard_query_count_is_fixed(self):
        """Every tile in one statement: the queries around it read the KPI
        definitions, the user and the companies, never the data records."""
        Kpi = self.env["dist.kpi"].with_user(self.viewer)
        with freeze_time(NOW):
            Kpi.get_dashboard(MARCH)
            self.env.invalidate_all()
            with self.assertQueryCount(10):
                Kpi.get_dashboard(MARCH)
