# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .test_dashboard import MARCH, NOW, DistKpiMarchCase


@tagged("post_install", "-at_install")
class TestSnapshots(DistKpiMarchCase):
    def _values(self, code, day, **dims):
        return self.env["dist.kpi.value"].search(
            [
                ("kpi_id.code", "=", code),
                ("date", "=", day),
                ("company_id", "=", self.company.id),
                ("warehouse_id", "=", dims.get("warehouse", False)),
                ("team_id", "=", dims.get("team", False)),
            ]
        )

    def test_a_day_per_company_warehouse_and_team(self):
        Value = self.env["dist.kpi.value"]
        with freeze_time(NOW):
            Value._dist_snapshot(self.company, date(2025, 3, 4))
        # First shipped on 4 March: O1 (South), O2 (6 of 10), O4, O6 (Wholesale).
        total = self._values("fill_rate", "2025-03-04")
        self.assertRecordValues(total, [{"value": 75.0, "count": 1, "weight": 4.0}])
        south = self._values("fill_rate", "2025-03-04", warehouse=self.warehouse_2.id)
        self.assertRecordValues(south, [{"value": 100.0, "count": 0, "weight": 1.0}])
        main = self._values("fill_rate", "2025-03-04", warehouse=self.warehouse.id)
        self.assertAlmostEqual(main.value, 200.0 / 3)
        wholesale = self._values("fill_rate", "2025-03-04", team=self.team.id)
        self.assertEqual(wholesale.value, 100.0)
        # Levels at the end of the day: nothing pending on 4 March.
        self.assertEqual(self._values("approval_pending", "2025-03-04").value, 0.0)
        self.assertFalse(
            self._values("unbilled_value", "2025-03-04"), "only measurable on the day itself"
        )

    def test_snapshots_are_idempotent(self):
        Value = self.env["dist.kpi.value"]
        with freeze_time(NOW):
            Value._dist_snapshot(self.company, date(2025, 3, 4))
            before = Value.search_read([("company_id", "=", self.company.id)], ["kpi_id", "value"])
            Value._dist_snapshot(self.company, date(2025, 3, 4))
            after = Value.search_read([("company_id", "=", self.company.id)], ["kpi_id", "value"])
        self.assertEqual(len(after), len(before))
        self.assertEqual(
            sorted((v["kpi_id"][0], v["value"]) for v in after),
            sorted((v["kpi_id"][0], v["value"]) for v in before),
        )

    def test_cron_takes_yesterday_then_catches_up(self):
        Value = self.env["dist.kpi.value"].sudo()
        mine = [("company_id", "=", self.company.id)]
        with freeze_time("2025-03-06 02:00"):
            Value._dist_run_snapshots()
        self.assertEqual(set(Value.search(mine).mapped("date")), {date(2025, 3, 5)})
        yesterday = self._values("unbilled_value", "2025-03-05")
        self.assertEqual(yesterday.value, 1000.0 + 800.0, "O2 and O6, shipped and still unbilled")
        with freeze_time("2025-03-06 03:00"):
            Value._dist_run_snapshots()
        self.assertEqual(set(Value.search(mine).mapped("date")), {date(2025, 3, 5)})
        with freeze_time("2025-03-09 02:00"):
            Value._dist_run_snapshots()
        self.assertEqual(
            set(Value.search(mine).mapped("date")),
            {date(2025, 3, 5), date(2025, 3, 6), date(2025, 3, 7), date(2025, 3, 8)},
        )

    def test_backfill_gives_the_dashboard_its_trend(self):
        Value = self.env["dist.kpi.value"].sudo()
        with freeze_time(NOW):
            Value._dist_request_backfill(date(2025, 3, 1), date(2025, 3, 31))
            self.assertTrue(Value._dist_run_snapshots())
            params = self.env["ir.config_parameter"].sudo()
            self.assertFalse(params.get_param("dist_kpi.backfill_next"), "backfill done")
            tiles = self._dashboard(**MARCH)
        # Days with first shipments: 4 March (3 of 4 filled), 6 March (1 of
        # 2), 20 March (0 of 1).
        self.assertEqual(tiles["fill_rate"]["trend"], [75.0, 50.0, 0.0])
        self.assertEqual(tiles["approval_pending"]["trend"][-2:], [2.0, 2.0])
        south = self._march(warehouse_ids=[self.warehouse_2.id])
        self.assertEqual(south["fill_rate"]["trend"], [100.0])
        self.assertEqual(self._march(category_ids=[self.key_account.id])["fill_rate"]["trend"], [])

    def test_live_kpis_compare_with_their_snapshot(self):
        Value = self.env["dist.kpi.value"].sudo()
        with freeze_time("2025-04-01 02:00"):
            Value._dist_run_snapshots()
        self.assertEqual(self._values("unbilled_value", "2025-03-31").value, 3000.0)
        with freeze_time("2025-04-30 18:00"):
            april = self._dashboard(
                date_from="2025-04-01", date_to="2025-04-30", compare="previous"
            )
            march = self._dashboard(**MARCH)
        self.assertEqual(april["unbilled_value"]["previous"], 3000.0)
        self.assertEqual(march["unbilled_value"]["value"], 3000.0, "from the snapshot of 31 March")
