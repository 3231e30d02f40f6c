"""A year of a distributor's history, written with SQL for the KPI benchmark.

Each kind of record is copied from one template made by Odoo itself (a
confirmed, delivered, returned and invoiced order, an approval request, an
exception, a received purchase line, an inventory count), so that every
column Odoo requires holds a value Odoo wrote; the copies get their own
orders, lines, products, dates and quantities, drawn at random with a fixed
seed.

Per ``lines`` sales order lines (1 to 5 per order, 3 on average, so one
order and one delivery per 3 lines): every order is delivered once, 10 % of
its lines short on the first delivery; the backorder of an order with short
lines is done later (80 %), cancelled (10 %) or still open (10 %); 3 % of
the lines are partly returned; 98 % of the orders older than two weeks are
invoiced, half of the more recent ones; 5 % of the orders had an approval
request, 8 % an exception; one purchase line per 20 sales lines, one
inventory count per 40.
"""

from odoo.tools import SQL

from .common import clone_sql


class KpiHistory:
    def __init__(self, env, templates, products, customers, teams, warehouse):
        self.env = env
        self.t = templates
        self.products = products.ids
        self.customers = customers.ids
        self.teams = teams.ids
        self.warehouse = warehouse
        self.batch = 0
        self.lines = 0
        self.env.execute_query(SQL("SELECT setseed(0.42)"))

    # ------------------------------------------------------------------
    def _clone(self, table, template_id, source, overrides):
        """Copy row ``template_id`` of ``table`` once per row of ``source``
        (SQL of a set aliased ``s``), with ``overrides`` ({column: SQL})."""
        return clone_sql(self.env, table, template_id, source, overrides)

    def _into(self, target, column, prefix, insert, by_line=False):
        """Run ``insert`` (a ``_clone`` naming each copy ``prefix`` and the
        row's number, and its line's with ``by_line``) and write the new ids
        into ``column`` of temporary table ``target``."""
        key = (
            SQL("%s.n || '/' || %s.i", *[SQL.identifier(target)] * 2)
            if by_line
            else (SQL("%s.n", SQL.identifier(target)))
        )
        return SQL(
            """WITH ins AS (%s RETURNING id, name)
               UPDATE %s SET %s = ins.id FROM ins WHERE ins.name = %s || %s""",
            insert,
            SQL.identifier(target),
            SQL.identifier(column),
            prefix,
            key,
        )

    def _run(self, *queries):
        for query in queries:
            self.env.execute_query(query)

    # ------------------------------------------------------------------
    def add(self, lines):
        """Add about ``lines`` sales order lines (and what goes with them)."""
        self.env.flush_all()
        self.batch += 1
        tag = f"KPI{self.batch}"
        orders = max(1, round(lines / 3))
        t = self.t
        self._run(
            SQL("DROP TABLE IF EXISTS kpi_o, kpi_l"),
            # Orders of the last 12 months, promised 1 to 5 days after
            # confirmation, shipped 0.5 to 5.5 days after it.
            SQL(
                """CREATE TEMP TABLE kpi_o AS
                   SELECT n, NULL::int AS order_id, NULL::int AS picking_id,
                          NULL::int AS backorder_id, NULL::int AS invoice_id,
                          d.date_order, d.date_order + (1 + random() * 4) * interval '1 day'
                              AS commitment,
                          d.date_order + (0.5 + random() * 5) * interval '1 day' AS ship1,
                          (%(customers)s::int[])[1 + floor(random() * %(nc)s)] AS partner_id,
                          (%(teams)s::int[])[1 + floor(random() * %(nt)s)] AS team_id,
                          CASE WHEN r < 0.8 THEN 'done' WHEN r < 0.9 THEN 'cancel'
                               ELSE 'assigned' END AS back_state,
                          (1 + random() * 5) * interval '1 day' AS back_delay,
                          random() < CASE WHEN d.date_order < now() - interval '14 days'
                                          THEN 0.98 ELSE 0.5 END AS invoiced,
                          random() * interval '5 days' AS invoice_delay
                     FROM generate_series(1, %(orders)s) n,
                          LATERAL (SELECT now()::timestamp
                                          - random() * interval '365 days' AS date_order,
                                          random() AS r
                                    WHERE n > 0) d""",
                customers=self.customers,
                nc=len(self.customers),
                teams=self.teams,
                nt=len(self.teams),
                orders=orders,
            ),
            self._into(
                "kpi_o",
                "order_id",
                f"{tag}/",
                self._clone(
                    "sale_order",
                    t["order"],
                    SQL("kpi_o s"),
                    {
                        "name": SQL("%s || s.n", f"{tag}/"),
                        "date_order": SQL("s.date_order"),
                        "commitment_date": SQL("s.commitment"),
                        "partner_id": SQL("s.partner_id"),
                        "partner_invoice_id": SQL("s.partner_id"),
                        "partner_shipping_id": SQL("s.partner_id"),
                        "team_id": SQL("s.team_id"),
                        "invoice_status": SQL(
                            "CASE WHEN s.invoiced THEN 'invoiced' ELSE 'to invoice' END"
                        ),
                        "create_date": SQL("s.date_order"),
                    },
                ),
                by_line=False,
            ),
            # 1 to 5 lines per order, 1 to 20 units; 10 % short on the
            # first delivery, 3 % partly returned.
            SQL(
                """CREATE TEMP TABLE kpi_l AS
                   SELECT o.*, i, NULL::int AS line_id, NULL::int AS move_id,
                          (%(products)s::int[])[1 + floor(random() * %(np)s)] AS product_id,
                          q.qty,
                          CASE WHEN random() < 0.1 THEN floor(q.qty * (0.3 + random() * 0.6))
                               ELSE q.qty END AS first_qty,
                          CASE WHEN random() < 0.03 THEN 1 ELSE 0 END AS returned
                     FROM kpi_o o,
                          LATERAL generate_series(1, 1 + floor(random() * 5 + 0 * o.n)::int) i,
                          LATERAL (SELECT 1 + floor(random() * 20) AS qty WHERE i > 0) q""",
                products=self.products,
                np=len(self.products),
            ),
            self._into(
                "kpi_l",
                "line_id",
                f"{tag}/",
                self._clone(
                    "sale_order_line",
                    t["line"],
                    SQL("kpi_l s"),
                    {
                        "name": SQL("%s || s.n || '/' || s.i", f"{tag}/"),
                        "order_id": SQL("s.order_id"),
                        "product_id": SQL("s.product_id"),
                        "product_uom_qty": SQL("s.qty"),
                        "qty_delivered": SQL("s.qty"),
                        "qty_invoiced": SQL("CASE WHEN s.invoiced THEN s.qty ELSE 0 END"),
                        "order_partner_id": SQL("s.partner_id"),
                        "create_date": SQL("s.date_order"),
                    },
                ),
                by_line=True,
            ),
            SQL("ANALYZE kpi_o"),
            SQL("ANALYZE kpi_l"),
        )
        self._deliveries(tag)
        self._invoices(tag)
        self._approvals_and_exceptions()
        self._purchases_and_counts(tag, lines)
        self._run(
            SQL(
                "ANALYZE sale_order, sale_order_line, stock_picking, stock_move, account_move, "
                "account_move_line, sale_order_line_invoice_rel, dist_approval_request, "
                "dist_exception, purchase_order_line, product_product, product_template, "
                "stock_location, uom_uom, res_partner"
            )
        )
        added = self.env.execute_query(SQL("SELECT COUNT(*) FROM kpi_l"))[0][0]
        self.lines += added
        return added

    def order_ids(self):
        """The orders of the last ``add``."""
        return [row[0] for row in self.env.execute_query(SQL("SELECT order_id FROM kpi_o"))]

    def _deliveries(self, tag):
        t = self.t
        self._run(
            self._into(
                "kpi_o",
                "picking_id",
                f"{tag}/OUT/",
                self._clone(
                    "stock_picking",
                    t["picking"],
                    SQL("kpi_o s"),
                    {
                        "name": SQL("%s || s.n", f"{tag}/OUT/"),
                        "sale_id": SQL("s.order_id"),
                        "partner_id": SQL("s.partner_id"),
                        "scheduled_date": SQL("s.commitment"),
                        "date_done": SQL("s.ship1"),
                        "date_deadline": SQL("s.commitment"),
                        "create_date": SQL("s.date_order"),
                    },
                ),
                by_line=False,
            ),
            # Backorders of the orders with a short line.
            self._into(
                "kpi_o",
                "backorder_id",
                f"{tag}/BO/",
                self._clone(
                    "stock_picking",
                    t["picking"],
                    SQL(
                        """(SELECT * FROM kpi_o o WHERE EXISTS (
                                SELECT 1 FROM kpi_l l WHERE l.n = o.n AND l.first_qty < l.qty)) s"""
                    ),
                    {
                        "name": SQL("%s || s.n", f"{tag}/BO/"),
                        "sale_id": SQL("s.order_id"),
                        "partner_id": SQL("s.partner_id"),
                        "backorder_id": SQL("s.picking_id"),
                        "state": SQL("s.back_state"),
                        "scheduled_date": SQL("s.ship1 + s.back_delay"),
                        "date_done": SQL(
                            "CASE WHEN s.back_state = 'assigned' THEN NULL "
                            "ELSE s.ship1 + s.back_delay END"
                        ),
                        "create_date": SQL("s.ship1"),
                    },
                ),
                by_line=False,
            ),
            SQL(
                """UPDATE kpi_l SET picking_id = o.picking_id, backorder_id = o.backorder_id
                     FROM kpi_o o WHERE o.n = kpi_l.n"""
            ),
            # First shipments, then the rest of the short lines.
            self._clone(
                "stock_move",
                t["move"],
                SQL("kpi_l s"),
                {
                    "picking_id": SQL("s.picking_id"),
                    "sale_line_id": SQL("s.line_id"),
                    "product_id": SQL("s.product_id"),
                    "product_uom_qty": SQL("s.qty"),
                    "product_qty": SQL("s.qty"),
                    "quantity": SQL("s.first_qty"),
                    "date": SQL("s.ship1"),
                    "date_deadline": SQL("s.commitment"),
                    "partner_id": SQL("s.partner_id"),
                    "create_date": SQL("s.date_order"),
                },
            ),
            self._clone(
                "stock_move",
                t["move"],
                SQL("(SELECT * FROM kpi_l WHERE first_qty < qty) s"),
                {
                    "picking_id": SQL("s.backorder_id"),
                    "sale_line_id": SQL("s.line_id"),
                    "product_id": SQL("s.product_id"),
                    "product_uom_qty": SQL("s.qty - s.first_qty"),
                    "product_qty": SQL("s.qty - s.first_qty"),
                    "quantity": SQL(
                        "CASE WHEN s.back_state = 'done' THEN s.qty - s.first_qty ELSE 0 END"
                    ),
                    "state": SQL("s.back_state"),
                    "date": SQL("s.ship1 + s.back_delay"),
                    "partner_id": SQL("s.partner_id"),
                    "create_date": SQL("s.ship1"),
                },
            ),
            # Customer returns of one unit, five days after the delivery.
            self._clone(
                "stock_move",
                t["return_move"],
                SQL("(SELECT * FROM kpi_l WHERE returned = 1) s"),
                {
                    "sale_line_id": SQL("s.line_id"),
                    "product_id": SQL("s.product_id"),
                    "product_uom_qty": SQL("1"),
                    "product_qty": SQL("1"),
                    "quantity": SQL("1"),
                    "date": SQL("s.ship1 + interval '5 days'"),
                    "origin_returned_move_id": SQL("NULL"),
                    "partner_id": SQL("s.partner_id"),
                    "create_date": SQL("s.ship1 + interval '5 days'"),
                },
            ),
        )

    def _invoices(self, tag):
        t = self.t
        self._run(
            self._into(
                "kpi_o",
                "invoice_id",
                f"{tag}/INV/",
                self._clone(
                    "account_move",
                    t["invoice"],
                    SQL("(SELECT * FROM kpi_o WHERE invoiced) s"),
                    {
                        "name": SQL("%s || s.n", f"{tag}/INV/"),
                        "partner_id": SQL("s.partner_id"),
                        "commercial_partner_id": SQL("s.partner_id"),
                        "invoice_date": SQL("(s.ship1 + s.invoice_delay)::date"),
                        "date": SQL("(s.ship1 + s.invoice_delay)::date"),
                        "invoice_origin": SQL("%s || s.n", f"{tag}/"),
                        "create_date": SQL("s.ship1 + s.invoice_delay"),
                        "sequence_prefix": SQL("%s", f"{tag}/INV/"),
                        "sequence_number": SQL("s.n"),
                    },
                ),
                by_line=False,
            ),
            SQL("UPDATE kpi_l SET invoice_id = o.invoice_id FROM kpi_o o WHERE o.n = kpi_l.n"),
            SQL(
                """WITH ins AS (%s RETURNING id, name)
                   INSERT INTO sale_order_line_invoice_rel (order_line_id, invoice_line_id)
                   SELECT l.line_id, ins.id FROM ins
                     JOIN kpi_l l ON ins.name = %s || l.n || '/' || l.i""",
                self._clone(
                    "account_move_line",
                    t["invoice_line"],
                    SQL("(SELECT * FROM kpi_l WHERE invoiced) s"),
                    {
                        "name": SQL("%s || s.n || '/' || s.i", f"{tag}/"),
                        "move_id": SQL("s.invoice_id"),
                        "move_name": SQL("%s || s.n", f"{tag}/INV/"),
                        "product_id": SQL("s.product_id"),
                        "partner_id": SQL("s.partner_id"),
                        "quantity": SQL(
                            "CASE WHEN s.first_qty < s.qty AND s.back_state != 'done' "
                            "THEN s.first_qty ELSE s.qty END"
                        ),
                        "date": SQL("(s.ship1 + s.invoice_delay)::date"),
                        "invoice_date": SQL("(s.ship1 + s.invoice_delay)::date"),
                        "create_date": SQL("s.ship1 + s.invoice_delay"),
                    },
                ),
                f"{tag}/",
            ),
        )

    def _approvals_and_exceptions(self):
        t = self.t
        self._run(
            # 5 % of the orders waited for an approval: 85 % approved, 15 %
            # rejected, decided within two days; the recent ones pending.
            self._clone(
                "dist_approval_request",
                t["request"],
                SQL(
                    """(SELECT o.*, o.date_order - random() * interval '4 hours' AS requested,
                               random() * interval '48 hours' AS wait, random() AS r
                          FROM kpi_o o WHERE random() < 0.05) s"""
                ),
                {
                    "res_id": SQL("s.order_id"),
                    "requested_on": SQL("s.requested"),
                    "pending_since": SQL("s.requested"),
                    "deadline": SQL("s.requested + interval '24 hours'"),
                    "decided_on": SQL(
                        "CASE WHEN s.requested + s.wait < now() THEN s.requested + s.wait END"
                    ),
                    "state": SQL(
                        "CASE WHEN s.requested + s.wait >= now() THEN 'pending' "
                        "WHEN s.r < 0.85 THEN 'approved' ELSE 'rejected' END"
                    ),
                    "is_override": SQL("s.r < 0.03"),
                    "create_date": SQL("s.requested"),
                },
            ),
            # 8 % of the orders had an exception, 80 % of them resolved in
            # up to three days.
            self._clone(
                "dist_exception",
                t["exception"],
                SQL(
                    """(SELECT o.*, o.ship1 - random() * interval '24 hours' AS detected,
                               random() * interval '72 hours' AS wait, random() AS r,
                               (ARRAY['shortage', 'late_delivery', 'unbilled_delivery',
                                      'delivery_issue'])[1 + floor(random() * 4)] AS kind
                          FROM kpi_o o WHERE random() < 0.08) s"""
                ),
                {
                    "res_id": SQL("s.order_id"),
                    "sale_order_id": SQL("s.order_id"),
                    "partner_id": SQL("s.partner_id"),
                    "exception_type": SQL("s.kind"),
                    "detected_on": SQL("s.detected"),
                    "state": SQL("CASE WHEN s.r < 0.8 THEN 'resolved' ELSE 'open' END"),
                    "resolved_on": SQL("CASE WHEN s.r < 0.8 THEN s.detected + s.wait END"),
                    "create_date": SQL("s.detected"),
                },
            ),
        )

    def _purchases_and_counts(self, tag, lines):
        t = self.t
        purchase_lines = max(1, lines // 20)
        counts = max(1, lines // 40)
        self._run(
            SQL("DROP TABLE IF EXISTS kpi_p"),
            SQL(
                """CREATE TEMP TABLE kpi_p AS
                   SELECT n, NULL::int AS pol_id,
                          now()::timestamp - random() * interval '365 days' AS planned,
                          (%s::int[])[1 + floor(random() * %s)] AS product_id,
                          (random() - 0.7) * interval '4 days' AS early,
                          1 + floor(random() * 50) AS qty
                     FROM generate_series(1, %s) n""",
                self.products,
                len(self.products),
                purchase_lines,
            ),
            self._into(
                "kpi_p",
                "pol_id",
                f"{tag}/PO/",
                self._clone(
                    "purchase_order_line",
                    t["purchase_line"],
                    SQL("kpi_p s"),
                    {
                        "name": SQL("%s || s.n", f"{tag}/PO/"),
                        "product_id": SQL("s.product_id"),
                        "product_qty": SQL("s.qty"),
                        "product_uom_qty": SQL("s.qty"),
                        "date_planned": SQL("s.planned"),
                    },
                ),
                by_line=False,
            ),
            self._clone(
                "stock_move",
                t["receipt_move"],
                SQL("kpi_p s"),
                {
                    "purchase_line_id": SQL("s.pol_id"),
                    "product_id": SQL("s.product_id"),
                    "product_uom_qty": SQL("s.qty"),
                    "product_qty": SQL("s.qty"),
                    "quantity": SQL("s.qty"),
                    "date": SQL("s.planned + s.early"),
                },
            ),
            # Inventory counts: 60 % exact, the others 1 to 5 units off.
            self._clone(
                "stock_move",
                t["count_move"],
                SQL(
                    """(SELECT n, now()::timestamp - random() * interval '365 days' AS at,
                               CASE WHEN random() < 0.6 THEN 0
                                    ELSE 1 + floor(random() * 5) END AS qty
                          FROM generate_series(1, %s) n) s""",
                    counts,
                ),
                {
                    "quantity": SQL("s.qty"),
                    "product_uom_qty": SQL("s.qty"),
                    "product_qty": SQL("s.qty"),
                    "value": SQL("s.qty * 60"),
                    "date": SQL("s.at"),
                },
            ),
        )
