"""Benchmarks of dist_returns against Odoo's own path, printed as ratios.

Run with ``python3 tools/dist.py bench tests/benchmarks/bench_returns.py``
(or ``make bench``). The data is built once; each path then runs on the same
records inside a savepoint rolled back afterwards, REPEAT times alternating,
and the fastest run counts (the machine is shared).

1. A delivered and invoiced order of 1, 20, then 200 lines, every line partly
   returned: authorizing the return (lines from the order, cap, matrix),
   receiving it, inspecting and resolving it (restock, credit note through the
   billing engine), against Odoo's return wizard on the delivery, the
   validation of the return and the credit note made by Odoo's invoicing
   wizard. Like for like, the customer is not e-mailed (Odoo's path e-mails
   nobody); a third row shows the cost of the e-mails. Prints time and queries
   per line and the ratio ours / Odoo's (target <= 1.2), and the queries per
   line beyond the fixed cost of one line, for the 20- and 200-line cases (no
   N+1: within 10 %).
2. The returnable quantities of an order of 200 lines with 20 earlier returns:
   the number of queries (target: 1 or 2, whatever the number of lines).
"""

import os

from odoo.fields import Command
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from odoo.addons.dist_order_sync.tests.common import invoice_with_wizard

from . import bench_order_sync as order_sync
from .common import ratio, stocked_products, timed

# DIST_BENCH_SCALE=0.1 runs a tenth of the volumes (a quick check, not a measure).
SCALE = float(os.environ.get("DIST_BENCH_SCALE", "1"))
SIZES = [1, max(int(20 * SCALE), 2), max(int(200 * SCALE), 4)]
EARLIER_RETURNS = max(int(20 * SCALE), 2)
REPEAT = int(os.environ.get("DIST_BENCH_REPEAT", "2"))
ORDERED, RETURNED = 5.0, 2.0


def report(title, rows):
    print(f"\n== {title}")
    for label, (seconds, queries, lines, phases) in rows.items():
        detail = f"  ({', '.join(phases)})" if phases else ""
        print(
            f"   {label:<48} {seconds:7.2f} s {queries:>7} queries  "
            f"{seconds / lines * 1000:6.1f} ms/line {queries / lines:6.1f} queries/line{detail}"
        )


@tagged("post_install", "-at_install", "dist_bench")
class BenchReturns(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.ref("base.main_company")
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.products = stocked_products(cls.env, cls.warehouse, "Bench Return", max(SIZES), 100_000)
        cls.customer = cls.env["res.partner"].create(
            {"name": "Bench Returner", "is_company": True, "email": "returns@example.com"}
        )
        cls.reason = cls.env["dist.return.reason"].create({"name": "Bench reason"})
        cls.helpdesk_user = new_test_user(
            cls.env, "bench_helpdesk", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        cls.stock_user = new_test_user(
            cls.env, "bench_returns_stock", groups="stock.group_stock_user"
        )
        cls.salesman = new_test_user(
            cls.env, "bench_returns_sales", groups="sales_team.group_sale_salesman_all_leads"
        )
        cls.billing_user = new_test_user(
            cls.env, "bench_returns_billing", groups="account.group_account_invoice"
        )
        cls.orders = {size: cls._delivered_order(size) for size in SIZES}
        cls.company.dist_return_notify_customer = False

    @classmethod
    def _delivered_order(cls, size):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": ORDERED})
                    for p in cls.products[:size]
                ],
            }
        )
        order.action_confirm()
        order.picking_ids.move_ids.picked = True
        order.picking_ids.button_validate()
        order._create_invoices().action_post()
        cls.env.flush_all()
        cls.env.cr.execute(
            "ANALYZE sale_order_line, stock_move, stock_move_line, stock_picking, "
            "account_move_line, stock_quant"
        )
        return order

    # ------------------------------------------------------------------
    # The savepoint of the order sync benchmarks, the measure of them all.
    _rolled_back = order_sync.BenchOrderSync._rolled_back

    def _timed(self, func):
        return timed(self.env, func)[:2]

    def _compare(self, variants, lines):
        best = {}
        for _repeat in range(REPEAT):
            for label, (phases, check, notify) in variants.items():
                self.company.dist_return_notify_customer = notify
                with self._rolled_back():
                    state = {}
                    timings = [
                        (name, self._timed(lambda f=func, s=state: f(s))) for name, func in phases
                    ]
                    check(state)
                seconds = sum(t[0] for __, t in timings)
                queries = sum(t[1] for __, t in timings)
                if label not in best or seconds < best[label][0]:
                    best[label] = (
                        seconds,
                        queries,
                        lines,
                        [f"{name} {t[0]:.2f} s/{t[1]} q" for name, t in timings],
                    )
        return best

    # ------------------------------------------------------------------
    # Our path: authorize, receive, inspect and resolve
    # ------------------------------------------------------------------
    def _ours(self, order, notify=False):
        def authorize(state):
            record = (
                self.env["dist.return"]
                .with_user(self.helpdesk_user)
                ._dist_create_draft(order=order)
            )
            record.line_ids.write({"quantity": RETURNED, "reason_id": self.reason.id})
            record.action_submit()
            state["return"] = record

        def receive(state):
            picking = state["return"].return_picking_ids.with_user(self.stock_user)
            picking.button_validate()

        def resolve(state):
            record = state["return"].with_user(self.stock_user)
            record.action_resolve()

        def check(state):
            record = state["return"]
            self.assertEqual(record.state, "done")
            self.assertEqual(len(record.credit_note_ids), 1)
            self.assertEqual(
                sum(record.credit_note_ids.invoice_line_ids.mapped("quantity")),
                RETURNED * len(order.order_line),
            )

        return (
            [("authorize", authorize), ("receive", receive), ("inspect+resolve", resolve)],
            check,
            notify,
        )

    # ------------------------------------------------------------------
    # Odoo's path: return wizard, validation, credit note by the invoicing wizard
    # ------------------------------------------------------------------
    def _odoo(self, order):
        def wizard(state):
            picking = order.picking_ids.with_user(self.stock_user)
            form = Form(
                self.env["stock.return.picking"]
                .with_user(self.stock_user)
                .with_context(active_id=picking.id, active_model="stock.picking")
            )
            for index in range(len(form.product_return_moves)):
                with form.product_return_moves.edit(index) as line:
                    line.quantity = RETURNED
            action = form.save().action_create_returns()
            state["return"] = self.env["stock.picking"].browse(action["res_id"])

        def receive(state):
            state["return"].with_user(self.stock_user).button_validate()

        def credit(state):
            invoice_with_wizard(order, self.salesman)
            refund = order.invoice_ids.filtered(
                lambda m: m.move_type == "out_refund" and m.state == "draft"
            )
            refund.with_user(self.billing_user).action_post()
            state["refund"] = refund

        def check(state):
            self.assertEqual(state["return"].state, "done")
            self.assertEqual(
                sum(state["refund"].invoice_line_ids.mapped("quantity")),
                RETURNED * len(order.order_line),
            )

        return (
            [("return wizard", wizard), ("receive", receive), ("invoicing wizard+post", credit)],
            check,
            False,
        )

    # ------------------------------------------------------------------
    def test_1_return_authorize_receive_resolve(self):
        queries = {}
        for size in SIZES:
            order = self.orders[size]
            # Warm the caches of both paths.
            for path in (self._ours, self._odoo):
                phases, __, __ = path(order)
                with self._rolled_back():
                    state = {}
                    for __, func in phases:
                        func(state)
            ours = f"ours: {size} lines, authorize to credit note"
            mails = f"ours, with the customer's e-mails: {size} lines"
            odoo = f"Odoo: {size} lines, return wizard to credit note"
            variants = {ours: self._ours(order), odoo: self._odoo(order)}
            if size > 1:
                variants[mails] = self._ours(order, notify=True)
            results = self._compare(variants, size)
            report(f"1. return of every line of a {size}-line order", results)
            ratio(f"{size} lines", results[ours], results[odoo], 1.2)
            if size > 1:
                ratio(f"{size} lines, with e-mails", results[mails], results[odoo], 1.2)
            queries[size] = (results[ours][1], results[odoo][1])
        one, small, large = SIZES
        per_line = {
            size: tuple((queries[size][i] - queries[one][i]) / (size - one) for i in (0, 1))
            for size in (small, large)
        }
        print(
            f"   queries per line beyond the fixed cost of a 1-line return: ours "
            f"{per_line[small][0]:.1f} ({small} lines) vs "
            f"{per_line[large][0]:.1f} ({large} lines); "
            f"Odoo {per_line[small][1]:.1f} vs {per_line[large][1]:.1f}"
        )
        spread = abs(per_line[small][0] - per_line[large][0]) / per_line[large][0]
        verdict = "ok" if spread <= 0.10 else "ABOVE TARGET"
        print(f"   per-line spread, ours {spread:.0%} (target <= 10%: {verdict})")

    def test_2_returnable_quantities(self):
        order = self.orders[max(SIZES)]
        lines = order.order_line
        for line in lines[:EARLIER_RETURNS]:
            record = self.env["dist.return"].create(
                {
                    "sale_order_id": order.id,
                    "line_ids": [
                        Command.create(
                            {
                                "sale_line_id": line.id,
                                "quantity": 1.0,
                                "reason_id": self.reason.id,
                            }
                        )
                    ],
                }
            )
            record.action_submit()
        self.env.flush_all()
        self.env.invalidate_all()
        seconds, queries = self._timed(lines._dist_returnable_quantities)
        quantities = lines._dist_returnable_quantities()
        self.assertEqual(quantities[lines[0].id]["returnable"], ORDERED - 1.0)
        print(
            f"\n== 2. returnable quantities of a {len(lines)}-line order with "
            f"{EARLIER_RETURNS} earlier returns: {queries} queries, {seconds * 1000:.1f} ms "
            f"(target: 1 or 2 queries: {'ok' if queries <= 2 else 'ABOVE TARGET'})"
        )
