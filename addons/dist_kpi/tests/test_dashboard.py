# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DistKpiCase

MARCH = {"date_from": "2025-03-01", "date_to": "2025-03-31", "compare": "previous"}
NOW = "2025-03-31 18:00:00"


class DistKpiMarchCase(DistKpiCase):
    """One month of a distributor, every figure of which is computed by hand
    in the tests.

    Orders, confirmed on 3 March 08:00 (promised 5 March 12:00 unless said):

    - O1 (second warehouse): 10 shipped 4 March 10:00, invoiced 6 March 10:00;
    - O2: 6 shipped 4 March, the backorder of 4 on 7 March (late);
    - O3: 5 + 5 promised 10 March, 5 + 3 shipped 6 March, no backorder (short);
    - O4: 10 shipped 4 March, invoiced 5 March, 2 returned 10 March, credited 11 March;
    - O5: 4 of 10 shipped 4 March, then cancelled;
    - O6 (euros, 4 x 100 EUR at 2 USD, team Wholesale, Key Account customer):
      shipped 4 March;
    - O7, confirmed 18 March, promised 20 March 12:00: 4 of 10 shipped 20
      March 10:00, the backorder still open.

    Approvals (discount above 15 %): A1 approved in 6 h, A2 rejected in 24 h,
    A3 overridden in 24 h, A4 pending since 25 March, A5 since 30 March.
    Exceptions: on O2 (26 h to resolve), O3 (open), O7 (24 h). Purchases:
    10 planned 10 March, 6 received by then; 5 planned 15 March received 14
    March. Counts: one exact, one 2 units short (120), one 1 unit over (60).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(su=True)
        cls.team = env["crm.team"].create({"name": "Wholesale", "company_id": cls.company.id})
        cls.key_account = env["res.partner.category"].create({"name": "Key Account"})
        cls.key_customer = cls._customer("Fabrikam", category_id=[Command.set(cls.key_account.ids)])
        cls.warehouse_2 = env["stock.warehouse"].create(
            {"name": "South", "code": "STH", "company_id": cls.company.id}
        )
        env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse_2.lot_stock_id, 1000.0
        )
        env["dist.approval.rule"].create(
            {
                "name": "Discount",
                "document_type": "sale",
                "level": 1,
                "company_id": cls.company.id,
                "check_discount": True,
                "discount_above": 15,
                "approver_group_id": env.ref("sales_team.group_sale_manager").id,
            }
        )
        eur = cls.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        euro_list = env["product.pricelist"].create({"name": "Euro", "currency_id": eur.id})

        confirmed, promised = "2025-03-03 08:00", "2025-03-05 12:00"
        shipped = "2025-03-04 10:00"
        p, pb = cls.product, cls.product_b
        cls.o1 = cls._order(
            confirmed, [(p, 10)], commitment=promised, warehouse_id=cls.warehouse_2.id
        )
        cls._ship(cls.o1.picking_ids, shipped)
        cls._invoice(cls.o1, "2025-03-06 10:00")

        cls.o2 = cls._order(confirmed, [(p, 10)], commitment=promised)
        first = cls._ship(cls.o2.picking_ids, shipped, {p: 6})
        cls._ship(cls.o2.picking_ids - first, "2025-03-07 10:00")

        cls.o3 = cls._order(confirmed, [(p, 5), (pb, 5)], commitment="2025-03-10 12:00")
        cls._ship(cls.o3.picking_ids, "2025-03-06 10:00", {p: 5, pb: 3}, backorder=False)

        cls.o4 = cls._order(confirmed, [(p, 10)], commitment=promised)
        delivery = cls._ship(cls.o4.picking_ids, shipped)
        cls._invoice(cls.o4, "2025-03-05 10:00")
        cls._receive_return(delivery, "2025-03-10 09:00", {p: 2})
        cls._invoice(cls.o4, "2025-03-11 10:00")

        cls.o5 = cls._order(confirmed, [(p, 10)], commitment=promised)
        cls._ship(cls.o5.picking_ids, shipped, {p: 4})
        with freeze_time("2025-03-05 09:00"):
            cls.o5.with_context(disable_cancel_warning=True).action_cancel()
            cls._commit()

        cls.o6 = cls._order(
            confirmed,
            [(p, 4, 100.0)],
            partner=cls.key_customer,
            commitment=promised,
            pricelist_id=euro_list.id,
            team_id=cls.team.id,
        )
        cls._ship(cls.o6.picking_ids, shipped)

        cls.o7 = cls._order("2025-03-18 08:00", [(p, 10)], commitment="2025-03-20 12:00")
        cls._ship(cls.o7.picking_ids, "2025-03-20 10:00", {p: 4})

        cls._approvals()
        cls._exceptions()
        cls._purchases()
        cls._counts()

    @classmethod
    def _held(cls, at):
        contoso = cls.env["res.partner"].search([("name", "=", "Contoso")], limit=1)
        contoso = contoso or cls._customer("Contoso")
        with freeze_time(at):
            order = (
                cls.env["sale.order"]
                .with_user(cls.salesman)
                .create(
                    {
                        "partner_id": contoso.id,
                        "order_line": [
                            Command.create(
                                {"product_id": cls.product.id, "product_uom_qty": 1, "discount": 20}
                            )
                        ],
                    }
                )
            )
            order.action_confirm()
        request = order.approval_request_ids
        assert request.state == "pending", request.state
        return order.with_user(cls.env.user), request

    @classmethod
    def _approvals(cls):
        cls.a1, request = cls._held("2025-03-10 09:00")
        with freeze_time("2025-03-10 15:00"):
            request.with_user(cls.sales_manager).action_approve()
        cls.a2, request = cls._held("2025-03-12 09:00")
        with freeze_time("2025-03-13 09:00"):
            request.with_user(cls.sales_manager).action_reject("Too generous")
        cls.a3, request = cls._held("2025-03-14 09:00")
        with freeze_time("2025-03-15 09:00"):
            request.with_user(cls.dist_manager).action_override("Strategic customer")
        cls.a4, __ = cls._held("2025-03-25 09:00")
        cls.a5, __ = cls._held("2025-03-30 09:00")
        cls._commit()

    @classmethod
    def _exception(cls, order, exception_type, detected, resolved=None):
        Exception = cls.env["dist.exception"].sudo()
        with freeze_time(detected):
            exception = Exception.create(
                {
                    "name": f"{exception_type} {order.name}",
                    "exception_type": exception_type,
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "sale_order_id": order.id,
                    "partner_id": order.partner_id.id,
                    "company_id": order.company_id.id,
                }
            )
        if resolved:
            with freeze_time(resolved):
                exception.action_resolve()
        return exception

    @classmethod
    def _exceptions(cls):
        cls._exception(cls.o2, "late_delivery", "2025-03-06 08:00", "2025-03-07 10:00")
        cls.open_exception = cls._exception(cls.o3, "shortage", "2025-03-05 08:00")
        cls._exception(cls.o7, "delivery_issue", "2025-03-21 08:00", "2025-03-22 08:00")

    @classmethod
    def _purchase(cls, vendor, product, quantity, planned):
        with freeze_time("2025-03-01 08:00"):
            order = cls.env["purchase.order"].create(
                {
                    "partner_id": vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_qty": quantity,
                                "date_planned": planned,
                            }
                        )
                    ],
                }
            )
            order.button_confirm()
        return order

    @classmethod
    def _purchases(cls):
        cls.po1 = cls._purchase(cls._customer("Vendor One"), cls.product, 10, "2025-03-10 12:00")
        first = cls._ship(cls.po1.picking_ids, "2025-03-09 10:00", {cls.product: 6})
        cls._ship(cls.po1.picking_ids - first, "2025-03-12 10:00")
        cls.po2 = cls._purchase(cls._customer("Vendor Two"), cls.product_b, 5, "2025-03-15 12:00")
        cls._ship(cls.po2.picking_ids, "2025-03-14 10:00")

    @classmethod
    def _counts(cls):
        counted = cls._create_product(name="Counted Widget", is_storable=True, standard_price=60.0)
        stock = cls.warehouse.lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(counted, stock, 10.0)
        for at, quantity in (
            ("2025-03-08 10:00", 10),
            ("2025-03-09 10:00", 8),
            ("2025-03-10 10:00", 9),
        ):
            with freeze_time(at):
                quant = cls.env["stock.quant"].search(
                    [("product_id", "=", counted.id), ("location_id", "=", stock.id)]
                )
                quant.with_context(inventory_mode=True).inventory_quantity = quantity
                quant.action_apply_inventory()
        cls.counted = counted
        cls._commit()

    def _march(self, user=None, **filters):
        with freeze_time(NOW):
            return self._dashboard(user, **{**MARCH, **filters})

    def _march_drill(self, code, user=None, **filters):
        with freeze_time(NOW):
            return self._drill(code, user, **{**MARCH, **filters})


@tagged("post_install", "-at_install")
class TestDashboard(DistKpiMarchCase):
    def _assertTile(self, tiles, code, value, count, **others):
        tile = tiles[code]
        self.assertEqual((tile["value"], tile["count"]), (value, count), code)
        for key, expected in others.items():
            self.assertEqual(tile[key], expected, f"{code} {key}")

    def test_fulfilment_kpis(self):
        tiles = self._march()
        self._assertTile(tiles, "fill_rate", 57.14, 3, unit="percent", status="red", target=95.0)
        self._assertTile(tiles, "fill_rate_units", 77.78, 3)
        self._assertTile(tiles, "on_time_shipment", 80.0, 1, status="red")
        self._assertTile(tiles, "otif", 60.0, 2)
        self._assertTile(tiles, "perfect_order", 20.0, 4)
        self._assertTile(tiles, "order_cycle_time", 50.0, 5, unit="hours", status="amber")
        self._assertTile(tiles, "order_cycle_time_p50", 26.0, 5, status="green")
        self._assertTile(tiles, "order_cycle_time_p90", 88.4, 5)
        self._assertTile(tiles, "backorder_age", 270.0, 1)
        self._assertTile(tiles, "return_rate", 4.35, 1)
        self.assertLessEqual(tiles["otif"]["value"], tiles["on_time_shipment"]["value"])

    def test_finance_kpis(self):
        tiles = self._march(role="finance")
        self._assertTile(tiles, "invoice_lag", 36.0, 2)
        self._assertTile(tiles, "unbilled_deliveries", 5.0, 5)
        self._assertTile(tiles, "unbilled_value", 3000.0, 5, unit="amount", target=None)
        self.assertNotIn("approval_pending", tiles, "not a finance tile")

    def test_approval_kpis(self):
        tiles = self._march(role="approvals")
        self._assertTile(tiles, "approval_cycle_time", 18.0, 3)
        self._assertTile(tiles, "approval_pending", 2.0, 2, status="green")
        self._assertTile(tiles, "approval_pending_1d", 0.0, 0)
        self._assertTile(tiles, "approval_pending_3d", 1.0, 1)
        self._assertTile(tiles, "approval_pending_7d", 1.0, 1)
        self._assertTile(tiles, "approval_pending_older", 0.0, 0)
        self._assertTile(tiles, "auto_approval_rate", 54.55, 5)
        self._assertTile(tiles, "approval_override_count", 1.0, 1, status="amber")
        self._assertTile(tiles, "approval_rejection_rate", 33.33, 1)
        self.assertEqual(
            self._march_drill("approval_pending_7d").res_id, self.a4.id, "pending since 25 March"
        )

    def test_a_later_level_ages_from_when_it_became_pending(self):
        # As a level 2 asked on 25 March whose level 1 was decided on 30 March.
        request = self.a4.approval_request_ids.filtered(lambda r: r.state == "pending")
        self.assertEqual(len(request), 1)
        self.env.cr.execute(
            "UPDATE dist_approval_request SET pending_since = '2025-03-30 09:00' WHERE id = %s",
            (request.id,),
        )
        request.invalidate_recordset()
        tiles = self._march(role="approvals")
        self._assertTile(tiles, "approval_pending", 2.0, 2, status="green")
        self._assertTile(tiles, "approval_pending_3d", 2.0, 2)
        self._assertTile(tiles, "approval_pending_7d", 0.0, 0)

    def test_exception_stock_and_supplier_kpis(self):
        tiles = self._march()
        self._assertTile(tiles, "exception_open", 1.0, 1)
        self._assertTile(tiles, "exception_frequency", 37.5, 3)
        self._assertTile(tiles, "exception_mttr", 25.0, 2, status="amber")
        self._assertTile(tiles, "supplier_on_time", 73.33, 1)
        self._assertTile(tiles, "inventory_accuracy", 33.33, 2)
        self._assertTile(tiles, "stock_adjustment_value", 180.0, 2, status="none")
        self.assertEqual(self._march_drill("exception_open"), self.open_exception)
        self.assertEqual(self._march_drill("supplier_on_time").order_id, self.po1)
        # A count within the tolerance (60 of value) is accurate.
        self.env.ref("dist_kpi.kpi_inventory_accuracy").with_user(self.dist_manager).tolerance = 100
        self._assertTile(self._march(), "inventory_accuracy", 66.67, 1)

    def test_the_period_and_its_comparison(self):
        tiles = self._march()
        self.assertIsNone(tiles["otif"]["previous"], "nothing delivered in February")
        self.assertEqual(tiles["approval_pending"]["previous"], 0.0)
        # April compares with March.
        with freeze_time("2025-04-30 18:00"):
            april = self._dashboard(
                date_from="2025-04-01", date_to="2025-04-30", compare="previous"
            )
        self.assertIsNone(april["otif"]["value"])
        self.assertEqual(april["otif"]["status"], "none")
        self.assertEqual(april["otif"]["previous"], 60.0)
        self.assertEqual(april["approval_pending"]["value"], 2.0, "still pending")
        # The O7 backorder is older at the end of April: 41 days 6 hours.
        self.assertEqual(april["backorder_age"]["value"], 990.0)
        with freeze_time("2026-03-31 18:00"):
            next_year = self._dashboard(
                **{
                    **MARCH,
                    "date_from": "2026-03-01",
                    "date_to": "2026-03-31",
                    "compare": "last_year",
                }
            )
        self.assertEqual(next_year["fill_rate"]["previous"], 57.14)

    def test_timezone_of_the_user(self):
        """A day is the user's day: what shipped on 4 March at 10:00 UTC
        shipped on 5 March at midnight in Kiritimati (UTC+14)."""

        def fill_rate(day, tz):
            with freeze_time(NOW):
                result = (
                    self.env["dist.kpi"]
                    .with_user(self.viewer)
                    .with_context(tz=tz)
                    .get_dashboard({"date_from": day, "date_to": day, "role": "operations"})
                )
            tile = {t["code"]: t for t in result["tiles"]}["fill_rate"]
            return tile["value"], tile["count"]

        self.assertEqual(fill_rate("2025-03-04", "UTC"), (75.0, 1))
        self.assertEqual(fill_rate("2025-03-04", "Pacific/Kiritimati"), (None, 0))
        self.assertEqual(fill_rate("2025-03-05", "Pacific/Kiritimati"), (75.0, 1))

    def test_dimensions(self):
        by_team = self._march(team_ids=[self.team.id])
        self._assertTile(by_team, "fill_rate", 100.0, 0)
        self._assertTile(by_team, "unbilled_value", 800.0, 1)
        by_category = self._march(category_ids=[self.key_account.id])
        self._assertTile(by_category, "unbilled_value", 800.0, 1)
        by_warehouse = self._march(warehouse_ids=[self.warehouse_2.id])
        self._assertTile(by_warehouse, "otif", 100.0, 0)
        self._assertTile(by_warehouse, "order_cycle_time", 26.0, 1)
        self.assertEqual(
            self._march_drill("order_cycle_time", warehouse_ids=[self.warehouse_2.id]).order_id,
            self.o1,
        )
        # Approvals follow the orders of the team: none of them is the team's.
        self._assertTile(by_team, "approval_pending", 0.0, 0)

    def test_drilldown_lists_exactly_the_records_counted(self):
        tiles = self._march()
        for code, tile in tiles.items():
            records = self._march_drill(code)
            self.assertEqual(len(records), tile["count"], code)
        failing = self._march_drill("otif")
        self.assertEqual(failing.sale_line_id, self.o2.order_line | self.o3.order_line[1])
        self.assertEqual(failing.mapped("failure"), ["late", "short"])
        self.assertEqual(
            self._march_drill("perfect_order").order_id, self.o2 | self.o3 | self.o4 | self.o6
        )
        self.assertEqual(self._march_drill("fill_rate").order_id, self.o2 | self.o3 | self.o7)
        self.assertEqual(
            self._march_drill("auto_approval_rate"), self.a1 | self.a2 | self.a3 | self.a4 | self.a5
        )
        self.assertEqual(self._march_drill("exception_frequency"), self.o2 | self.o3 | self.o7)
        self.assertEqual(
            self._march_drill("backorder_age"), self.o7.picking_ids.filtered("backorder_id")
        )
        action = self.env["dist.kpi"].with_user(self.viewer).action_drilldown("otif", MARCH)
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "dist.kpi.fulfilment")

    def test_cancelled_orders_are_excluded(self):
        self.assertFalse(self.env["dist.kpi.fulfilment"].search([("order_id", "=", self.o5.id)]))
        self.assertNotIn(self.o5, self._march_drill("auto_approval_rate"))

    def test_dashboard_writes_nothing(self):
        """Served from a read-only transaction, as on a read replica."""
        self.assertTrue(getattr(type(self.env["dist.kpi"]).get_dashboard, "_readonly", False))
        with self.env.cr.savepoint(flush=False) as savepoint:
            self.env.cr.execute("SET TRANSACTION READ ONLY")
            tiles = self._march()
            savepoint.rollback()
        self.assertEqual(tiles["otif"]["value"], 60.0)

    def test_tiles_open_only_what_the_user_may_read(self):
        viewer, analyst = self._march(user=self.viewer), self._march(user=self.analyst)
        # Fulfilment facts and approval requests: every Distribution user.
        self.assertTrue(viewer["otif"]["can_open"])
        self.assertTrue(viewer["approval_pending"]["can_open"])
        # Transfers and stock moves: who reads inventory.
        self.assertFalse(viewer["backorder_age"]["can_open"])
        self.assertFalse(viewer["inventory_accuracy"]["can_open"])
        self.assertTrue(analyst["backorder_age"]["can_open"])
        self.assertTrue(analyst["inventory_accuracy"]["can_open"])
        self.assertEqual(viewer["backorder_age"]["count"], analyst["backorder_age"]["count"])

    def test_only_distribution_users(self):
        employee = self._dist_user("kpi_employee", "base.group_user")
        with self.assertRaises(AccessError):
            self._march(user=employee)
        with self.assertRaises(AccessError):
            self.env["dist.kpi"].with_user(employee).action_drilldown("otif", MARCH)

    def test_bad_filters_are_explained(self):
        with self.assertRaisesRegex(UserError, "swap the dates"):
            self._march(date_from="2025-04-01")
        with self.assertRaisesRegex(UserError, "ISO date"):
            self._march(date_to="31/03/2025")
        with self.assertRaisesRegex(UserError, "previous"):
            self._march(compare="yesterday")
        with self.assertRaisesRegex(UserError, "unknown"):
            self._march(role="sales")
        with self.assertRaisesRegex(UserError, "no KPI"):
            self.env["dist.kpi"].with_user(self.viewer).action_drilldown("nope", MARCH)


@tagged("post_install", "-at_install")
class TestNoData(DistKpiCase):
    def test_empty_company(self):
        with freeze_time(NOW):
            tiles = self._dashboard(**MARCH)
        for code in ("otif", "fill_rate", "order_cycle_time", "invoice_lag", "return_rate"):
            self.assertIsNone(tiles[code]["value"], code)
            self.assertEqual(tiles[code]["status"], "none")
            self.assertEqual(tiles[code]["count"], 0)
        self.assertEqual(tiles["approval_pending"]["value"], 0.0)
        self.assertEqual(tiles["unbilled_value"]["value"], 0.0)
        self.assertEqual(
            set(tiles["otif"]),
            {
                "code",
                "name",
                "value",
                "unit",
                "target",
                "status",
                "previous",
                "trend",
                "count",
                "can_open",
            },
        )


@tagged("post_install", "-at_install")
class TestMultiCompany(DistKpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        order = cls._order("2025-03-03 08:00", [(cls.product, 10)], commitment="2025-03-05 12:00")
        cls._ship(order.picking_ids, "2025-03-06 10:00")
        cls.company_b = cls.setup_other_company(name="Distribution South")["company"]
        warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)])
        cls.env["stock.quant"].with_company(cls.company_b)._update_available_quantity(
            cls.product, warehouse_b.lot_stock_id, 100.0
        )
        cls.salesman_b = cls._dist_user(
            "kpi_salesman", "sales_team.group_sale_salesman", cls.company_b
        )
        cls.stock_user_b = cls._dist_user("kpi_stock", "stock.group_stock_user", cls.company_b)
        cls.viewer_b = cls._dist_user(
            "kpi_viewer", "dist_approval_matrix.group_dist_user", cls.company_b
        )
        order_b = cls._order(
            "2025-03-03 08:00",
            [(cls.product, 5)],
            commitment="2025-03-05 12:00",
            user=cls.salesman_b,
        )
        cls._ship(order_b.picking_ids, "2025-03-04 10:00", user=cls.stock_user_b)
        cls.both = cls._dist_user("kpi_viewer_both", "dist_approval_matrix.group_dist_user")
        cls.both.company_ids = [Command.link(cls.company_b.id)]

    def test_snapshots_convert_amounts_not_counts(self):
        eur = self.setup_other_currency("EUR", rates=[("2000-01-01", 0.5)])
        company_c = self.setup_other_company(name="Distribution Euro", currency_id=eur.id)[
            "company"
        ]
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "name": "2000-01-01", "rate": 0.5, "company_id": company_c.id}
        )
        self.both.company_ids = [Command.link(company_c.id)]
        kpis = self.env["dist.kpi"].search([("code", "in", ("exception_open", "unbilled_value"))])
        self.assertEqual(len(kpis), 2)
        # 4 open exceptions and 4 unbilled in each company's currency.
        self.env["dist.kpi.value"].sudo().create(
            [
                {
                    "kpi_id": kpi.id,
                    "date": "2025-03-31",
                    "company_id": company.id,
                    "value": 4.0,
                    "count": 4,
                    "weight": 1.0,
                }
                for kpi in kpis
                for company in (self.company, company_c)
            ]
        )
        Kpi = self.env["dist.kpi"].with_user(self.both)
        ctx = Kpi._dist_context({**MARCH, "company_ids": [self.company.id, company_c.id]})
        rows = self.env.execute_query_dict(
            self.env["dist.kpi.value"]
            .with_user(self.both)
            ._dist_trend_sql(
                ctx,
                kpis.ids,
                ctx.date_from,
                kpis.filtered(lambda k: k.code == "unbilled_value").ids,
            )
        )
        totals = {
            kpis.browse(row["kpi_id"]).code: row["total"]
            for row in rows
            if str(row["date"]) == "2025-03-31"
        }
        # Counts add up; 4 EUR are 8 in the company's currency.
        self.assertEqual(totals, {"exception_open": 8.0, "unbilled_value": 12.0})

    def test_each_company_sees_its_own(self):
        a = self._dashboard(self.viewer, **MARCH)
        b = self._dashboard(self.viewer_b, **MARCH)
        self.assertEqual((a["on_time_shipment"]["value"], a["on_time_shipment"]["count"]), (0.0, 1))
        self.assertEqual(
            (b["on_time_shipment"]["value"], b["on_time_shipment"]["count"]), (100.0, 0)
        )
        with self.assertRaisesRegex(AccessError, "Distribution South"):
            self._dashboard(self.viewer, **MARCH, company_ids=[self.company_b.id])
        with self.assertRaises(AccessError):
            self.env["dist.kpi"].with_user(self.viewer).action_drilldown(
                "otif", {**MARCH, "company_ids": [self.company_b.id]}
            )
        both = self._dashboard(self.both, **MARCH, company_ids=[self.company.id, self.company_b.id])
        self.assertEqual(both["on_time_shipment"]["value"], 50.0)
        only_a = (
            self.env["dist.kpi"]
            .with_user(self.both)
            .with_context(allowed_company_ids=[self.company.id])
            .get_dashboard(MARCH)
        )
        self.assertEqual(
            {t["code"]: t for t in only_a["tiles"]}["on_time_shipment"]["value"],
            0.0,
            "the companies selected in the switcher",
        )
