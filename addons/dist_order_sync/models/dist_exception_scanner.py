# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, split_every
from odoo.tools.misc import format_datetime

from .dist_exception import OPEN_STATES

# Exceptions created or resolved per transaction by the scanner.
SCAN_BATCH = 1000


class DistExceptionScanner(models.AbstractModel):
    """Finds what needs a person and keeps the exception queue in step.

    One detector per exception type (``_dist_detectors``), each an SQL query
    named for what it detects and returning ``{(res_model, res_id): vals}``
    for the documents whose condition holds now. The scan opens an exception
    for each new one and resolves the open ones whose condition is gone.
    Addons add detectors by extending ``_dist_detectors``.
    """

    _name = "dist.exception.scanner"
    _description = "Exception Scanner"

    @api.model
    def _cron_dist_scan(self):
        self._dist_scan(commit=True)

    @api.model
    def _dist_scan(self, commit=False):
        """Open the exceptions whose condition holds, resolve those whose
        condition is gone. With ``commit`` (the cron), commits after each
        batch and stops when the cron runs out of time.

        :return: False when the cron ran out of time
        """
        progress = self._dist_progress(commit)
        detectors = self._dist_detectors()
        self.env.flush_all()
        progress(remaining=len(detectors))
        # What detectors share during one scan (the time, the supply plan).
        scan = {"now": fields.Datetime.now()}
        for exception_type, detect in detectors.items():
            self._dist_without_jit()
            if not self._dist_sync(exception_type, detect(scan), progress):
                return False
            if not progress(1):
                return False
        self._dist_after_scan(scan)
        return True

    @api.model
    def _dist_detectors(self):
        """{exception type: detector(scan) -> {(res_model, res_id): vals}}."""
        return {
            "shortage": self._dist_detect_shortage,
            "late_receipt": self._dist_detect_late_receipt,
            "late_delivery": self._dist_detect_late_delivery,
            "unbilled_delivery": self._dist_detect_unbilled_delivery,
            "billing_failure": self._dist_detect_billing_failure,
            "at_risk": self._dist_detect_at_risk,
        }

    @api.model
    def _dist_after_scan(self, scan):
        """What acts on a complete scan: automatic replenishment."""
        self.env["dist.replenishment"]._dist_replenish_automatically(scan)

    @api.model
    def _dist_without_jit(self):
        """No JIT compilation for the rest of this transaction: the planner
        sizes the aggregates over every open order above PostgreSQL's JIT
        threshold, and compiling them costs more than running them (0.8 s of
        compilation for a 0.1 s query over 50,000 orders)."""
        self.env.cr.execute(SQL("SET LOCAL jit = off"))

    @api.model
    def _dist_progress(self, commit):
        """The cron's progress function, or one that neither commits nor stops."""
        if commit:
            return self.env["ir.cron"]._commit_progress
        return lambda processed=0, **kwargs: float("inf")

    @api.model
    def _dist_sync(self, exception_type, found, progress):
        """Make the exceptions of one type match ``found`` ({key: vals}).

        :return: False when the cron ran out of time
        """
        Exception = self.env["dist.exception"]
        blocking = Exception._dist_blocking(exception_type)
        new = [vals for key, vals in found.items() if key not in blocking]
        gone = [id_ for key, (id_, __) in blocking.items() if key not in found]
        for batch in split_every(SCAN_BATCH, new):
            Exception._dist_open(exception_type, list(batch))
            if not progress():
                return False
        for batch in split_every(SCAN_BATCH, gone):
            self._dist_condition_ended(Exception.browse(batch))
            if not progress():
                return False
        return True

    @api.model
    def _dist_condition_ended(self, exceptions):
        """Open exceptions are resolved; dismissed ones just note the end."""
        exceptions = exceptions.sudo()
        exceptions.filtered(lambda e: e.state in OPEN_STATES)._dist_close(
            "resolved", self.env._("Resolved automatically: the condition no longer holds.")
        )
        exceptions.write({"condition_active": False})

    # ------------------------------------------------------------------
    # Vals of an exception, from a detector's row
    # ------------------------------------------------------------------
    @api.model
    def _dist_when(self, scan, company_id, value):
        """A date and time as the people of the company read it: in its
        timezone (its address's), in the language's short format."""
        zones = scan.setdefault("timezones", {})
        if company_id not in zones:
            zones[company_id] = self.env["res.company"].browse(company_id).partner_id.tz or "UTC"
        # Thousands of rows share a few dates: each is formatted once a scan.
        formatted = scan.setdefault("formatted", {})
        key = (zones[company_id], value)
        if key not in formatted:
            formatted[key] = format_datetime(
                self.env, value, tz=zones[company_id], dt_format="short"
            )
        return formatted[key]

    @api.model
    def _dist_row_vals(self, res_model, res_id, name, row, description, **links):
        """Vals of an exception about document ``res_model``/``res_id`` named
        ``name``, from a detector's row (order, customer, company, owner)."""
        return {
            "res_model": res_model,
            "res_id": res_id,
            "sale_order_id": row["order_id"],
            "partner_id": row["partner_id"],
            "company_id": row["company_id"],
            "owner_hint": row["owner_hint"],
            "document_name": name,
            "description": description,
            **links,
        }

    @api.model
    def _dist_picking_vals(self, row, description):
        return self._dist_row_vals(
            "stock.picking", row["id"], row["name"], row, description, picking_id=row["id"]
        )

    @api.model
    def _dist_picking_rows(self, where):
        """Outgoing-side facts of the transfers matching ``where`` (an SQL)."""
        return self.env.execute_query_dict(
            SQL(
                """SELECT p.id, p.name, p.sale_id AS order_id, p.company_id, p.scheduled_date,
                          p.dist_billing_due, p.dist_billing_error,
                          COALESCE(so.user_id, team.user_id, p.user_id) AS owner_hint,
                          COALESCE(so_partner.commercial_partner_id,
                                   partner.commercial_partner_id) AS partner_id
                     FROM stock_picking p
                     JOIN stock_picking_type t ON t.id = p.picking_type_id
                LEFT JOIN sale_order so ON so.id = p.sale_id
                LEFT JOIN crm_team team ON team.id = so.team_id
                LEFT JOIN res_partner so_partner ON so_partner.id = so.partner_id
                LEFT JOIN res_partner partner ON partner.id = p.partner_id
                     JOIN res_company c ON c.id = p.company_id
                    WHERE %s""",
                where,
            )
        )

    # ------------------------------------------------------------------
    # Deliveries
    # ------------------------------------------------------------------
    @api.model
    def _dist_detect_late_delivery(self, scan):
        """Outgoing transfers not done after their scheduled date (+ grace)."""
        now = scan["now"]
        rows = self._dist_picking_rows(
            SQL(
                """t.code = 'outgoing' AND p.state IN ('waiting', 'confirmed', 'assigned')
                   AND p.scheduled_date + make_interval(hours => c.dist_late_delivery_grace)
                       < %s""",
                now,
            )
        )
        found = {}
        for row in rows:
            late = now - row["scheduled_date"]
            vals = self._dist_picking_vals(
                row,
                self.env._(
                    "Scheduled on %(date)s, not done %(days)s day(s) later.",
                    date=self._dist_when(scan, row["company_id"], row["scheduled_date"]),
                    days=late.days,
                ),
            )
            if late > timedelta(days=7):
                vals["severity"] = "high"
            found["stock.picking", row["id"]] = vals
        return found

    @api.model
    def _dist_detect_unbilled_delivery(self, scan):
        """Deliveries due for billing for longer than the company's delay."""
        rows = self._dist_picking_rows(
            SQL(
                """p.dist_billing_state IN ('to_bill', 'failed')
                   AND p.dist_billing_due + make_interval(hours => c.dist_unbilled_delay) <= %s""",
                scan["now"],
            )
        )
        return {
            ("stock.picking", row["id"]): self._dist_picking_vals(
                row,
                self.env._(
                    "Done and due for billing since %(date)s, still not billed.",
                    date=self._dist_when(scan, row["company_id"], row["dist_billing_due"]),
                ),
            )
            for row in rows
        }

    @api.model
    def _dist_detect_billing_failure(self, scan):
        """Deliveries whose last billing attempt left an error."""
        rows = self._dist_picking_rows(
            SQL(
                """p.dist_billing_state IN ('to_bill', 'failed')
                   AND p.dist_billing_error IS NOT NULL"""
            )
        )
        return {
            ("stock.picking", row["id"]): self._dist_picking_vals(row, row["dist_billing_error"])
            for row in rows
        }

    # ------------------------------------------------------------------
    # Supply: shortages and late receipts, one allocation per scan
    # ------------------------------------------------------------------
    @api.model
    def _dist_detect_shortage(self, scan):
        """Orders with a move that no supply covers by its deadline."""
        return self._dist_supply_plan(scan)["shortage"]

    @api.model
    def _dist_detect_late_receipt(self, scan):
        """Orders waiting for a receipt that is overdue or planned after
        their deadline, and make-to-order receipts chained to them."""
        late = dict(self._dist_supply_plan(scan)["late_receipt"])
        now = scan["now"]
        for row in self._dist_scan_chained_receipts(scan):
            if row["date"] > row["deadline"] or row["date"] < now:
                self._dist_add_late_receipt(late, row, row, scan)
        return late

    @api.model
    def _dist_supply_plan(self, scan):
        """Shortages and late receipts of confirmed sales orders, computed
        once per scan.

        A sales move that cannot be reserved waits for supply: the free stock
        of its warehouse, then the pending receipts into that warehouse in date
        order, shared among the waiting moves in deadline order (the
        commitment date, else the transfer's scheduled date). The receipt that
        completes a move's quantity is the receipt its order depends on:

        - shortage: no receipt completes it, or it arrives after the deadline;
        - late receipt: that receipt is scheduled after the deadline or is
          overdue;
        - cover: {move id: (move row, receipt row completing it or None when
          free stock does, quantity nothing covers, quantity not covered by
          the deadline)}, what the risk scoring and replenishment read.

        ``scan["product_ids"]``, when given, limits the plan to these products
        (the allocation is per product and warehouse: the result for them is
        the same).
        """
        if "supply" in scan:
            return scan["supply"]
        now = scan["now"]
        demand = self._dist_waiting_sales_moves(scan.get("product_ids"))
        products = list({row["product_id"] for row in demand})
        free = defaultdict(float)
        supply = defaultdict(list)
        if products:
            for product, warehouse, quantity in self.env.execute_query(
                SQL(
                    """SELECT q.product_id, l.warehouse_id, SUM(q.quantity - q.reserved_quantity)
                         FROM stock_quant q
                         JOIN stock_location l ON l.id = q.location_id
                        WHERE l.usage = 'internal' AND q.product_id = ANY(%s)
                     GROUP BY 1, 2""",
                    products,
                )
            ):
                free[product, warehouse] = quantity
            for row in self._dist_pending_receipts(SQL("m.product_id = ANY(%s)", products)):
                supply[row["product_id"], row["warehouse_id"]].append(row)
        shortages, late, cover = {}, {}, {}
        by_stock = defaultdict(list)
        for row in demand:
            by_stock[row["product_id"], row["warehouse_id"]].append(row)
        for key, moves in by_stock.items():
            moves.sort(key=lambda r: (r["deadline"], r["id"]))
            receipts = sorted(supply[key], key=lambda r: (r["date"], r["id"]))
            in_stock = available = in_time = max(free[key], 0.0)
            index, need, last, arrived = 0, 0.0, None, 0
            for move in moves:
                need += move["missing"]
                while available < need and index < len(receipts):
                    last = receipts[index]
                    available += last["product_qty"]
                    index += 1
                while arrived < len(receipts) and receipts[arrived]["date"] <= move["deadline"]:
                    in_time += receipts[arrived]["product_qty"]
                    arrived += 1
                short = min(max(need - available, 0.0), move["missing"])
                cover[move["id"]] = (
                    move,
                    last if need - short > in_stock else None,
                    short,
                    min(max(need - in_time, 0.0), move["missing"]),
                )
                if available < need:
                    self._dist_add_order(shortages, move, self.env._("No supply in sight."))
                    continue
                receipt = last if need > in_stock else None
                if not receipt:
                    continue
                if receipt["date"] > move["deadline"]:
                    self._dist_add_order(
                        shortages,
                        move,
                        self.env._(
                            "Supply expected on %(date)s, after the %(deadline)s deadline.",
                            date=self._dist_when(scan, move["company_id"], receipt["date"]),
                            deadline=self._dist_when(scan, move["company_id"], move["deadline"]),
                        ),
                    )
                if receipt["date"] > move["deadline"] or receipt["date"] < now:
                    self._dist_add_late_receipt(late, move, receipt, scan)
        scan["supply"] = {"shortage": shortages, "late_receipt": late, "cover": cover}
        return scan["supply"]

    @api.model
    def _dist_waiting_sales_moves(self, product_ids=None):
        """Moves of confirmed sales orders waiting for stock, with what is
        missing (of ``product_ids`` only, when given)."""
        return self.env.execute_query_dict(
            SQL(
                """SELECT m.id, m.product_id, l.warehouse_id, so.id AS order_id,
                          so.name AS order_name, COALESCE(so.user_id, team.user_id) AS owner_hint,
                          so.company_id, partner.commercial_partner_id AS partner_id, m.picking_id,
                          COALESCE(so.commitment_date, p.scheduled_date, m.date) AS deadline,
                          m.product_qty * (1 - LEAST(COALESCE(m.quantity, 0)
                              / NULLIF(m.product_uom_qty, 0), 1)) AS missing
                     FROM stock_move m
                     JOIN sale_order_line sol ON sol.id = m.sale_line_id
                     JOIN sale_order so ON so.id = sol.order_id
                LEFT JOIN crm_team team ON team.id = so.team_id
                     JOIN res_partner partner ON partner.id = so.partner_id
                     JOIN stock_location l ON l.id = m.location_id
                LEFT JOIN stock_picking p ON p.id = m.picking_id
                    WHERE m.state IN ('confirmed', 'partially_available')
                      AND so.state = 'sale' AND l.usage = 'internal'
                      AND m.product_uom_qty > 0 AND %s""",
                SQL("m.product_id = ANY(%s)", list(product_ids))
                if product_ids is not None
                else SQL("TRUE"),
            )
        )

    @api.model
    def _dist_pending_receipts(self, where):
        """Pending moves bringing goods into a warehouse from outside it."""
        return self.env.execute_query_dict(
            SQL(
                """SELECT m.id, m.product_id, dest.warehouse_id, m.date, m.product_qty,
                          m.picking_id, p.name AS picking_name, pol.order_id AS purchase_id,
                          po.user_id AS buyer_id, po.name AS purchase_name,
                          COALESCE(po.partner_id, p.partner_id) AS vendor_id
                     FROM stock_move m
                     JOIN stock_location dest ON dest.id = m.location_dest_id
                     JOIN stock_location src ON src.id = m.location_id
                LEFT JOIN stock_picking p ON p.id = m.picking_id
                LEFT JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
                LEFT JOIN purchase_order po ON po.id = pol.order_id
                    WHERE m.state NOT IN ('draft', 'done', 'cancel')
                      AND dest.usage = 'internal' AND src.usage != 'internal'
                      AND dest.warehouse_id IS NOT NULL AND %s""",
                where,
            )
        )

    @api.model
    def _dist_scan_chained_receipts(self, scan):
        """The chained receipts, read once per scan."""
        if "chained" not in scan:
            scan["chained"] = self._dist_chained_receipts()
        return scan["chained"]

    @api.model
    def _dist_chained_receipts(self):
        """Pending supplier receipts chained (make-to-order) to open sales moves."""
        # The receipts chained to another move (or dropshipped) first: most
        # companies have none, and the planner sizes the walk by their number.
        seeds = [
            receipt_id
            for (receipt_id,) in self.env.execute_query(
                SQL(
                    """SELECT m.id
                         FROM stock_move m
                         JOIN stock_location src ON src.id = m.location_id
                        WHERE m.state NOT IN ('draft', 'done', 'cancel')
                          AND src.usage = 'supplier'
                          AND (m.sale_line_id IS NOT NULL OR EXISTS (
                               SELECT 1 FROM stock_move_move_rel r WHERE r.move_orig_id = m.id))"""
                )
            )
        ]
        if not seeds:
            return []
        return self.env.execute_query_dict(
            SQL(
                """WITH RECURSIVE chain(receipt_id, move_id, depth) AS (
                        SELECT m.id, m.id, 0 FROM stock_move m WHERE m.id = ANY(%s)
                     UNION ALL
                        SELECT chain.receipt_id, rel.move_dest_id, chain.depth + 1
                          FROM chain
                          JOIN stock_move_move_rel rel ON rel.move_orig_id = chain.move_id
                         WHERE chain.depth < 5
                   )
                   SELECT DISTINCT ON (so.id, receipt.id)
                          so.id AS order_id, so.name AS order_name,
                          COALESCE(so.user_id, team.user_id) AS owner_hint,
                          so.company_id, partner.commercial_partner_id AS partner_id,
                          COALESCE(so.commitment_date, p.scheduled_date, dest.date) AS deadline,
                          receipt.date, receipt.picking_id, rp.name AS picking_name,
                          pol.order_id AS purchase_id, po.user_id AS buyer_id,
                          po.name AS purchase_name, receipt.product_id, receipt.product_qty,
                          COALESCE(po.partner_id, rp.partner_id) AS vendor_id
                     FROM chain
                     JOIN stock_move dest ON dest.id = chain.move_id
                     JOIN stock_move receipt ON receipt.id = chain.receipt_id
                     JOIN sale_order_line sol ON sol.id = dest.sale_line_id
                     JOIN sale_order so ON so.id = sol.order_id AND so.state = 'sale'
                LEFT JOIN crm_team team ON team.id = so.team_id
                     JOIN res_partner partner ON partner.id = so.partner_id
                LEFT JOIN stock_picking p ON p.id = dest.picking_id
                LEFT JOIN stock_picking rp ON rp.id = receipt.picking_id
                LEFT JOIN purchase_order_line pol ON pol.id = receipt.purchase_line_id
                LEFT JOIN purchase_order po ON po.id = pol.order_id
                    WHERE dest.state NOT IN ('done', 'cancel')
                 ORDER BY so.id, receipt.id""",
                seeds,
            )
        )

    # ------------------------------------------------------------------
    # Orders at risk of missing their promise
    # ------------------------------------------------------------------
    @api.model
    def _dist_detect_at_risk(self, scan):
        """Orders whose risk of missing the promise is high, explained.

        The scoring (``dist.order.risk``) reads this scan's supply plan and
        stores every open order's score; the open exceptions follow the
        orders scored high until their promise, their facts the current
        reasons. Once the promise is past, the order is late, no longer at
        risk: late deliveries, shortages and late receipts take over.
        """
        found = {}
        for row in self.env["dist.order.risk"]._dist_score(scan):
            if row["level"] == "high" and not row["missed"]:
                found["sale.order", row["order_id"]] = self._dist_row_vals(
                    "sale.order", row["order_id"], row["order_name"], row, row["reasons"]
                )
        self.env["dist.exception"]._dist_refresh_facts(
            "at_risk", {key: vals["description"] for key, vals in found.items()}
        )
        return found

    @api.model
    def _dist_add_order(self, found, row, fact):
        """Add ``fact`` to the exception of the order of ``row`` in ``found``."""
        vals = found.get(("sale.order", row["order_id"]))
        if vals is None:
            vals = found["sale.order", row["order_id"]] = self._dist_row_vals(
                "sale.order", row["order_id"], row["order_name"], row, fact
            )
            vals["picking_id"] = row["picking_id"]
        elif fact not in vals["description"]:
            vals["description"] += "\n" + fact

    @api.model
    def _dist_add_late_receipt(self, found, order_row, receipt, scan):
        company_id = order_row["company_id"]
        if receipt["date"] < scan["now"]:
            fact = self.env._(
                "Receipt %(receipt)s was expected on %(date)s and has not arrived.",
                receipt=receipt["picking_name"] or "",
                date=self._dist_when(scan, company_id, receipt["date"]),
            )
        else:
            fact = self.env._(
                "Receipt %(receipt)s is scheduled on %(date)s, after the %(deadline)s deadline.",
                receipt=receipt["picking_name"] or "",
                date=self._dist_when(scan, company_id, receipt["date"]),
                deadline=self._dist_when(scan, company_id, order_row["deadline"]),
            )
        key = ("sale.order", order_row["order_id"])
        new = key not in found
        self._dist_add_order(found, order_row, fact)
        if new:
            # The buyer chases the supplier; the salesperson follows.
            vals = found[key]
            vals["picking_id"] = receipt["picking_id"]
            vals["purchase_order_id"] = receipt["purchase_id"]
            if receipt["buyer_id"]:
                vals["follower_user_ids"] = [vals["owner_hint"]] if vals["owner_hint"] else []
                vals["owner_hint"] = receipt["buyer_id"]
