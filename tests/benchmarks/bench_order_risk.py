"""Orders at risk (dist_order_sync): a backtest of the score, and the scan's speed.

Run with ``python3 tools/dist.py bench tests/benchmarks/bench_order_risk.py``
(or ``make bench``). The data is written with SQL, copying documents Odoo made
(an order, a purchase order, a delivery), as bench_order_sync.py does.

1. Backtest. A history with known outcomes: suppliers whose true record
   ranges from punctual to chronically late (their past receipts in the
   database are drawn from it), a fast warehouse and a congested one (their
   past shipments and the transfers ready ahead), and open orders promised
   3, 7 and 14 days ahead: reserved, covered by a receipt planned before or
   after the promise, or not covered. Each order's real ship day is then
   drawn from the same truth (receipt delays, warehouse pace). Scored on day
   0, the orders at high risk are compared with the orders really late:
   precision (flagged orders really late) and recall (late orders flagged),
   against the naive rule "at risk if a line is not reserved".
2. Speed. One scan over 50,000 open orders (4 lines each, 200,000 open
   lines) with 5,000 pending receipts: the first scan (scores every order,
   opens the exceptions), a steady rescan (nothing moved), and the scoring
   alone; orders per second and queries. Targets: first scan < 30 s,
   steady rescan < 2 s.

DIST_BENCH_SCALE scales every volume (0.1: a quick check, not a measure);
DIST_RISK_ORDERS sets the number of orders of the speed test.
"""

import os
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta

import psycopg2
from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from . import bench_order_sync as order_sync_bench

SCALE = order_sync_bench.SCALE
REPEAT = order_sync_bench.REPEAT
BACKTEST_ORDERS = max(300, int(3000 * SCALE))
SPEED_ORDERS = int(os.environ.get("DIST_RISK_ORDERS") or 50000 * SCALE)
LINES_PER_ORDER = 4
# Day 0 of the benchmarks (UTC; the company is in UTC).
DAY0 = datetime(2025, 12, 1, 6, 0)
HORIZONS = (3, 7, 14)
# Suppliers' truth: (chance of being on time, mean days late when late).
SUPPLIERS = [
    (0.97, 2),
    (0.95, 3),
    (0.9, 2),
    (0.85, 4),
    (0.7, 3),
    (0.6, 4),
    (0.5, 5),
    (0.4, 6),
    (0.3, 5),
    (0.2, 7),
]
VENDOR_LEAD_DAYS = 10
# Warehouses' truth: deliveries shipped per day, transfers ready ahead on day 0.
FAST_PACE, FAST_QUEUE = 200, 0
CONGESTED_PACE, CONGESTED_QUEUE = 10, 60


def truth_delay(rng, supplier):
    """Days a receipt of ``supplier`` really comes after its planned day."""
    on_time, late = SUPPLIERS[supplier]
    if rng.random() < on_time:
        return rng.choice((-2, -1, 0, 0))
    return rng.randint(1, 2 * late - 1)


def rates(flags, late):
    flagged = sum(flags)
    hits = sum(1 for flag, really in zip(flags, late, strict=True) if flag and really)
    return (hits / flagged if flagged else 0.0), (hits / sum(late) if sum(late) else 0.0)


@tagged("post_install", "-at_install", "dist_bench")
class BenchOrderRisk(TransactionCase):
    # The copying helpers of the order sync benchmarks.
    _clone = order_sync_bench.BenchOrderSync._clone
    _timed = order_sync_bench.BenchOrderSync._timed

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.ref("base.main_company")
        cls.company.partner_id.tz = "UTC"
        cls.fast = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.congested = cls.env["stock.warehouse"].create({"name": "Congested", "code": "CGW"})
        cls.salesman = cls.env["res.users"].create(
            {
                "name": "Bench Salesman",
                "login": "bench_risk_salesman",
                "group_ids": [Command.link(cls.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        cls.customer = cls.env["res.partner"].create({"name": "Bench Customer", "is_company": True})
        cls.vendors = cls.env["res.partner"].create(
            [{"name": f"Bench Vendor {i}", "is_company": True} for i in range(len(SUPPLIERS))]
        )
        stocked = cls.env["product.product"].create(
            {"name": "Bench Stocked", "type": "consu", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(stocked, cls.fast.lot_stock_id, 100)
        scarce = cls.env["product.product"].create(
            {
                "name": "Bench Scarce",
                "type": "consu",
                "is_storable": True,
                "seller_ids": [
                    Command.create({"partner_id": cls.vendors[0].id, "delay": VENDOR_LEAD_DAYS})
                ],
            }
        )
        with freeze_time(DAY0 - timedelta(days=30)):
            cls.template_order = cls._order(stocked)
            shipped = cls._order(stocked)
            shipped.picking_ids.move_ids.picked = True
            shipped.picking_ids.button_validate()
            cls.template_shipment = shipped.picking_ids
            cls.template_purchase = cls.env["purchase.order"].create(
                {
                    "partner_id": cls.vendors[0].id,
                    "order_line": [Command.create({"product_id": scarce.id, "product_qty": 1})],
                }
            )
            cls.template_purchase.button_confirm()
        cls.env.flush_all()

    @classmethod
    def _order(cls, product):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.salesman.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        return order

    def _products(self, count, prefix, vendor=None):
        """``count`` storable products (bought from ``vendor``)."""
        return self.env["product.product"].create(
            [
                {
                    "name": f"{prefix} {i}",
                    "type": "consu",
                    "is_storable": True,
                    "standard_price": 10.0,
                    "seller_ids": [
                        Command.create({"partner_id": vendor.id, "delay": VENDOR_LEAD_DAYS})
                    ]
                    if vendor
                    else [],
                }
                for i in range(count)
            ]
        )

    # ------------------------------------------------------------------
    # Writing documents with SQL
    # ------------------------------------------------------------------
    def _make_orders(self, specs, tag):
        """Confirmed orders, one per spec (promise, warehouse, [(product id,
        quantity, reserved)]), each with its delivery; return their ids."""
        template = self.template_order
        orders = {
            name: order_id
            for order_id, name in self._clone(
                "sale_order",
                template.id,
                SQL(
                    "unnest(%s::timestamp[], %s::int[]) "
                    "WITH ORDINALITY AS m(promise, warehouse, n)",
                    [spec[0] for spec in specs],
                    [spec[1].id for spec in specs],
                ),
                {
                    "name": SQL("%s || m.n", f"{tag}-"),
                    "commitment_date": SQL("m.promise"),
                    "warehouse_id": SQL("m.warehouse"),
                    "delivery_status": SQL("'pending'"),
                },
                returning="id, name",
            )
        }
        order_ids = [orders[f"{tag}-{n}"] for n in range(1, len(specs) + 1)]
        pickings = {
            order_id: picking_id
            for picking_id, order_id in self._clone(
                "stock_picking",
                template.picking_ids.id,
                SQL(
                    "unnest(%s::int[], %s::timestamp[], %s::varchar[], %s::int[], %s::int[]) "
                    "WITH ORDINALITY AS m(sale, scheduled, state, type, location, n)",
                    order_ids,
                    [spec[0] for spec in specs],
                    [
                        "assigned" if all(line[2] for line in spec[2]) else "confirmed"
                        for spec in specs
                    ],
                    [spec[1].out_type_id.id for spec in specs],
                    [spec[1].lot_stock_id.id for spec in specs],
                ),
                {
                    "sale_id": SQL("m.sale"),
                    "name": SQL("%s || m.n", f"{tag}/OUT/"),
                    "scheduled_date": SQL("m.scheduled"),
                    "date_deadline": SQL("m.scheduled"),
                    "state": SQL("m.state"),
                    "picking_type_id": SQL("m.type"),
                    "location_id": SQL("m.location"),
                },
                returning="id, sale_id",
            )
        }
        lines = [
            (order_id, spec, product, quantity, reserved)
            for order_id, spec in zip(order_ids, specs, strict=True)
            for product, quantity, reserved in spec[2]
        ]
        sale_lines = {
            sequence: line_id
            for line_id, sequence in self._clone(
                "sale_order_line",
                template.order_line.id,
                SQL(
                    "unnest(%s::int[], %s::int[], %s::float[]) WITH ORDINALITY "
                    "AS m(sale, product, quantity, n)",
                    [line[0] for line in lines],
                    [line[2] for line in lines],
                    [line[3] for line in lines],
                ),
                {
                    "order_id": SQL("m.sale"),
                    "product_id": SQL("m.product"),
                    "product_uom_qty": SQL("m.quantity"),
                    "sequence": SQL("m.n"),
                },
                returning="id, sequence",
            )
        }
        self._clone(
            "stock_move",
            template.picking_ids.move_ids.id,
            SQL(
                "unnest(%s::int[], %s::int[], %s::int[], %s::float[], %s::bool[], "
                "%s::timestamp[], %s::int[], %s::int[], %s::int[]) "
                "AS m(picking, line, product, quantity, reserved, date, location, warehouse, type)",
                [pickings[line[0]] for line in lines],
                [sale_lines[n] for n in range(1, len(lines) + 1)],
                [line[2] for line in lines],
                [line[3] for line in lines],
                [line[4] for line in lines],
                [line[1][0] for line in lines],
                [line[1][1].lot_stock_id.id for line in lines],
                [line[1][1].id for line in lines],
                [line[1][1].out_type_id.id for line in lines],
            ),
            {
                "picking_id": SQL("m.picking"),
                "sale_line_id": SQL("m.line"),
                "product_id": SQL("m.product"),
                "product_uom_qty": SQL("m.quantity"),
                "product_qty": SQL("m.quantity"),
                "quantity": SQL("CASE WHEN m.reserved THEN m.quantity ELSE 0 END"),
                "state": SQL("CASE WHEN m.reserved THEN 'assigned' ELSE 'confirmed' END"),
                "date": SQL("m.date"),
                "location_id": SQL("m.location"),
                "warehouse_id": SQL("m.warehouse"),
                "picking_type_id": SQL("m.type"),
            },
        )
        return order_ids

    def _make_receipts(self, specs, tag):
        """One purchase order and receipt per spec (vendor, product id,
        quantity, planned, received or None, warehouse)."""
        template = self.template_purchase
        purchases = {
            name: purchase_id
            for purchase_id, name in self._clone(
                "purchase_order",
                template.id,
                SQL(
                    "unnest(%s::int[], %s::timestamp[]) WITH ORDINALITY AS m(vendor, planned, n)",
                    [spec[0].id for spec in specs],
                    [spec[3] for spec in specs],
                ),
                {
                    "name": SQL("%s || m.n", f"{tag}-"),
                    "partner_id": SQL("m.vendor"),
                    "date_planned": SQL("m.planned"),
                },
                returning="id, name",
            )
        }
        purchase_ids = [purchases[f"{tag}-{n}"] for n in range(1, len(specs) + 1)]
        lines = {
            purchase_id: line_id
            for line_id, purchase_id in self._clone(
                "purchase_order_line",
                template.order_line.id,
                SQL(
                    "unnest(%s::int[], %s::int[], %s::int[], %s::float[], %s::timestamp[]) "
                    "AS m(purchase, vendor, product, quantity, planned)",
                    purchase_ids,
                    [spec[0].id for spec in specs],
                    [spec[1] for spec in specs],
                    [spec[2] for spec in specs],
                    [spec[3] for spec in specs],
                ),
                {
                    "order_id": SQL("m.purchase"),
                    "partner_id": SQL("m.vendor"),
                    "product_id": SQL("m.product"),
                    "product_qty": SQL("m.quantity"),
                    "product_uom_qty": SQL("m.quantity"),
                    "date_planned": SQL("m.planned"),
                },
                returning="id, order_id",
            )
        }
        receipts = {
            name: picking_id
            for picking_id, name in self._clone(
                "stock_picking",
                template.picking_ids.id,
                SQL(
                    "unnest(%s::int[], %s::timestamp[], %s::timestamp[], %s::int[], %s::int[]) "
                    "WITH ORDINALITY AS m(vendor, planned, received, type, location, n)",
                    [spec[0].id for spec in specs],
                    [spec[3] for spec in specs],
                    [spec[4] for spec in specs],
                    [spec[5].in_type_id.id for spec in specs],
                    [spec[5].lot_stock_id.id for spec in specs],
                ),
                {
                    "name": SQL("%s || m.n", f"{tag}/IN/"),
                    "partner_id": SQL("m.vendor"),
                    "scheduled_date": SQL("m.planned"),
                    "date_done": SQL("m.received"),
                    "state": SQL("CASE WHEN m.received IS NULL THEN 'assigned' ELSE 'done' END"),
                    "picking_type_id": SQL("m.type"),
                    "location_dest_id": SQL("m.location"),
                },
                returning="id, name",
            )
        }
        self._clone(
            "stock_move",
            template.picking_ids.move_ids.id,
            SQL(
                "unnest(%s::int[], %s::int[], %s::int[], %s::float[], %s::timestamp[], "
                "%s::timestamp[], %s::int[], %s::int[], %s::int[]) "
                "AS m(picking, line, product, quantity, planned, received, location, warehouse, "
                "type)",
                [receipts[f"{tag}/IN/{n}"] for n in range(1, len(specs) + 1)],
                [lines[purchase_id] for purchase_id in purchase_ids],
                [spec[1] for spec in specs],
                [spec[2] for spec in specs],
                [spec[3] for spec in specs],
                [spec[4] for spec in specs],
                [spec[5].lot_stock_id.id for spec in specs],
                [spec[5].id for spec in specs],
                [spec[5].in_type_id.id for spec in specs],
            ),
            {
                "picking_id": SQL("m.picking"),
                "purchase_line_id": SQL("m.line"),
                "product_id": SQL("m.product"),
                "product_uom_qty": SQL("m.quantity"),
                "product_qty": SQL("m.quantity"),
                "quantity": SQL("m.quantity"),
                "state": SQL("CASE WHEN m.received IS NULL THEN 'assigned' ELSE 'done' END"),
                "date": SQL("COALESCE(m.received, m.planned)"),
                "location_dest_id": SQL("m.location"),
                "location_final_id": SQL("m.location"),
                "warehouse_id": SQL("m.warehouse"),
                "picking_type_id": SQL("m.type"),
            },
        )

    def _make_shipments(self, warehouse, per_day, days, tag):
        """Deliveries ``warehouse`` shipped, ``per_day`` a day over the ``days`` before day 0."""
        done = [DAY0 - timedelta(days=1 + i % days, hours=i % 8) for i in range(per_day * days)]
        self._clone(
            "stock_picking",
            self.template_shipment.id,
            SQL(
                "unnest(%s::timestamp[]) WITH ORDINALITY AS m(done, n)",
                done,
            ),
            {
                "name": SQL("%s || m.n", f"{tag}/OUT/"),
                "sale_id": SQL("NULL"),
                "date_done": SQL("m.done"),
                "scheduled_date": SQL("m.done"),
                "picking_type_id": SQL("%s", warehouse.out_type_id.id),
                "location_id": SQL("%s", warehouse.lot_stock_id.id),
            },
        )

    @contextmanager
    def _unchecked_references(self):
        """Write the copies without checking their foreign keys (they point at
        rows that exist). PostgreSQL checks each reference with a row lock,
        which inside a test's savepoint grows quadratic: 29 minutes instead of
        20 seconds for 50,000 orders. Needs a superuser (the cluster of
        tools/dist.py); on another server the checks stay, and it is slower."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute("SET LOCAL session_replication_role = replica")
        except psycopg2.errors.InsufficientPrivilege:
            yield
            return
        try:
            yield
        finally:
            self.env.cr.execute("SET LOCAL session_replication_role = origin")

    def _analyze(self):
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.cr.execute(
            "ANALYZE sale_order, sale_order_line, stock_picking, stock_move, stock_quant, "
            "purchase_order, purchase_order_line, res_partner, product_product"
        )

    # ------------------------------------------------------------------
    # 1. Backtest
    # ------------------------------------------------------------------
    def _backtest_world(self, rng):
        """Write the history and the open orders; return the orders' specs,
        their truth and their ids."""
        # The suppliers' past: 30 receipts each over the last 200 days.
        spares = self._products(1, "Bench Spare")
        history = []
        for supplier, vendor in enumerate(self.vendors):
            for index in range(30):
                planned = DAY0 - timedelta(days=200 - 6 * index)
                received = planned + timedelta(days=truth_delay(rng, supplier), hours=2)
                history.append((vendor, spares.id, 1.0, planned, min(received, DAY0), self.fast))
        self._make_receipts(history, "BTH")
        # The warehouses' past pace and the transfers ready ahead of the orders.
        self._make_shipments(self.fast, FAST_PACE, 14, "BTF")
        self._make_shipments(self.congested, CONGESTED_PACE, 14, "BTC")
        stocked = self._products(1, "Bench Shelf")
        queue = [
            (DAY0 + timedelta(hours=1), self.congested, [(stocked.id, 1.0, True)])
        ] * CONGESTED_QUEUE
        self._make_orders(queue, "BTQ")

        # The orders: (promise, warehouse, lines) and their truth.
        scarce = self._products(BACKTEST_ORDERS, "Bench Bought", vendor=self.vendors[0])
        specs, truths, receipts = [], [], []
        kinds = [
            "reserved",
            "reserved",
            "congested",
            "receipt",
            "receipt",
            "receipt",
            "late",
            "none",
        ]
        for index in range(BACKTEST_ORDERS):
            horizon = HORIZONS[index % len(HORIZONS)]
            promise = DAY0 + timedelta(days=horizon, hours=6)
            kind = kinds[rng.randrange(len(kinds))]
            warehouse = self.congested if kind == "congested" else self.fast
            lines = [(stocked.id, 2.0, True)] * (LINES_PER_ORDER - 1)
            ready = 0
            if kind == "receipt" or kind == "late":
                supplier = rng.randrange(len(SUPPLIERS))
                planned_day = (
                    rng.randint(horizon + 1, horizon + 4)
                    if kind == "late"
                    else rng.randint(1, horizon)
                )
                product = scarce[index].id
                lines.append((product, 3.0, False))
                receipts.append(
                    (
                        self.vendors[supplier],
                        product,
                        3.0,
                        DAY0 + timedelta(days=planned_day),
                        None,
                        warehouse,
                    )
                )
                ready = planned_day + truth_delay(rng, supplier)
            elif kind == "none":
                lines.append((scarce[index].id, 3.0, False))
                ready = VENDOR_LEAD_DAYS + truth_delay(rng, 0)
            else:
                lines.append((stocked.id, 2.0, True))
            specs.append((promise, warehouse, lines))
            truths.append((horizon, ready, kind))
        self._make_receipts(receipts, "BTR")
        order_ids = self._make_orders(specs, "BT")
        self._analyze()
        return specs, truths, order_ids

    def test_1_backtest(self):
        rng = random.Random(12)
        start = time.perf_counter()
        with self._unchecked_references():
            specs, truths, order_ids = self._backtest_world(rng)
        built = time.perf_counter() - start

        # The truth: the warehouse ships its ready transfers in scheduled order
        # at its own pace (with day-to-day noise), once the goods are there.
        queue_position = defaultdict(lambda: 0)
        queue_position[self.congested.id] = CONGESTED_QUEUE
        order_rank = sorted(range(len(specs)), key=lambda i: (specs[i][0], order_ids[i]))
        late = [False] * len(specs)
        for i in order_rank:
            horizon, ready, __ = truths[i]
            warehouse = specs[i][1]
            pace = (CONGESTED_PACE if warehouse == self.congested else FAST_PACE) * rng.uniform(
                0.8, 1.2
            )
            if not ready:
                queue_position[warehouse.id] += 1
            shipped = max(ready, queue_position[warehouse.id] / pace)
            late[i] = shipped > horizon

        with freeze_time(DAY0):
            self.env["dist.exception.scanner"]._dist_scan()
        rows = dict(
            self.env.execute_query(
                SQL("SELECT id, dist_risk_level FROM sale_order WHERE id = ANY(%s)", order_ids)
            )
        )
        reserved_everywhere = {
            order_id
            for (order_id,) in self.env.execute_query(
                SQL(
                    """SELECT so.id FROM sale_order so WHERE so.id = ANY(%s) AND NOT EXISTS (
                          SELECT 1 FROM sale_order_line l JOIN stock_move m ON m.sale_line_id = l.id
                           WHERE l.order_id = so.id AND m.state != 'assigned')""",
                    order_ids,
                )
            )
        }
        print(
            f"\n== 1. backtest: {len(order_ids)} orders scored on day 0 "
            f"(history built in {built:.1f} s); high risk vs the naive rule "
            "'a line is not reserved'"
        )
        print(f"   {'':<22} {'late':>5} {'flagged':>8} {'precision':>10} {'recall':>8}")
        results = {}
        for horizon in (*HORIZONS, None):
            chosen = [i for i in range(len(specs)) if horizon in (None, truths[i][0])]
            really = [late[i] for i in chosen]
            ours = [rows[order_ids[i]] == "high" for i in chosen]
            naive = [order_ids[i] not in reserved_everywhere for i in chosen]
            label = f"{horizon} days before" if horizon else "all"
            for name, flags in (("score: high", ours), ("naive", naive)):
                precision, recall = rates(flags, really)
                results[horizon, name] = (precision, recall)
                print(
                    f"   {label + ', ' + name:<22} {sum(really):>5} {sum(flags):>8} "
                    f"{precision:>9.0%} {recall:>8.0%}"
                )
        ours, naive = results[None, "score: high"], results[None, "naive"]
        verdict = "ok" if ours[0] > naive[0] and ours[1] > naive[1] else "DOES NOT BEAT THE RULE"
        print(
            f"   the score beats the naive rule on precision and recall: {verdict} "
            f"({ours[0]:.0%} vs {naive[0]:.0%}, {ours[1]:.0%} vs {naive[1]:.0%})"
        )
        self.assertGreater(ours[0], naive[0])
        self.assertGreater(ours[1], naive[1])

    # ------------------------------------------------------------------
    # 2. Speed
    # ------------------------------------------------------------------
    def _speed_world(self, rng):
        """Write the history, the pending receipts and the open orders."""
        vendors = self.vendors
        stocked = self._products(400, "Bench Speed Stocked")
        bought = self._products(100, "Bench Speed Bought", vendor=vendors[0])
        receipts = SPEED_ORDERS // 10
        history = [
            (
                vendors[i % len(vendors)],
                bought[i % len(bought)].id,
                5.0,
                DAY0 - timedelta(days=1 + i % 300),
                DAY0 - timedelta(days=1 + i % 300 - truth_delay(rng, i % len(vendors))),
                self.fast,
            )
            for i in range(receipts * 2)
        ]
        history = [(*spec[:4], min(spec[4], DAY0), *spec[5:]) for spec in history]
        self._make_receipts(history, "SPH")
        pending = [
            (
                vendors[i % len(vendors)],
                bought[i % len(bought)].id,
                float(rng.randint(2, 12)),
                DAY0 + timedelta(days=rng.randint(-2, 30), hours=3),
                None,
                self.fast,
            )
            for i in range(receipts)
        ]
        self._make_receipts(pending, "SPR")
        self._make_shipments(self.fast, SPEED_ORDERS // 25, 14, "SPS")
        specs = []
        for index in range(SPEED_ORDERS):
            lines = [
                (stocked[rng.randrange(len(stocked))].id, 2.0, True)
                for __ in range(LINES_PER_ORDER - 1)
            ]
            if index % 5 == 0:
                lines.append((bought[rng.randrange(len(bought))].id, 2.0, False))
            else:
                lines.append((stocked[rng.randrange(len(stocked))].id, 2.0, True))
            promise = DAY0 + timedelta(days=1 + index % 30, hours=10)
            specs.append((promise, self.fast, lines))
        for batch in range(0, len(specs), 10000):
            self._make_orders(specs[batch : batch + 10000], f"SP{batch}")
        self._analyze()
        return receipts

    def test_2_scan_speed(self):
        start = time.perf_counter()
        with self._unchecked_references():
            receipts = self._speed_world(random.Random(7))
        built = time.perf_counter() - start
        open_lines = self.env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM stock_move m JOIN sale_order_line l ON l.id = m.sale_line_id "
                "WHERE m.state NOT IN ('done', 'cancel')"
            )
        )[0][0]

        Scanner = self.env["dist.exception.scanner"]
        # Time moves on (the timings need it), from day 0.
        with freeze_time(DAY0, tick=True):
            first = self._timed(Scanner._dist_scan)
            exceptions = dict(
                self.env["dist.exception"]._read_group([], ["exception_type"], ["__count"])
            )
            levels = dict(self.env["sale.order"]._read_group([], ["dist_risk_level"], ["__count"]))
            # The machine is shared: the fastest of REPEAT runs is the least disturbed.
            steady = min(self._timed(Scanner._dist_scan) for __ in range(REPEAT))
            scoring = min(
                self._timed(lambda: self.env["dist.order.risk"]._dist_score({"now": DAY0}))
                for __ in range(REPEAT)
            )
        orders = sum(count for level, count in levels.items() if level)
        print(
            f"\n== 2. scan of {orders} open orders, {open_lines} open lines, "
            f"{receipts} pending receipts (written in {built:.1f} s)"
        )
        print(
            "   risk levels: "
            + ", ".join(f"{level} {count}" for level, count in sorted(levels.items(), key=str))
        )
        print(
            "   exceptions opened: "
            + ", ".join(f"{kind} {count}" for kind, count in sorted(exceptions.items()))
        )
        for label, (seconds, queries), target in (
            ("first scan (scores, opens the exceptions)", first, 30),
            ("steady rescan, nothing moved", steady, 2),
            ("scoring alone (supply plan included)", scoring, None),
        ):
            verdict = (
                f"target < {target} s: {'ok' if seconds < target else 'ABOVE TARGET'}"
                if target
                else ""
            )
            print(
                f"   {label:<44} {seconds:7.2f} s {queries:>6} queries "
                f"{orders / seconds:>9.0f} orders/s  {verdict}"
            )
