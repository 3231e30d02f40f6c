# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from ..catalog import HOUR, QTY_EPSILON, without_jit

_logger = logging.getLogger(__name__)

FAILURES = [("late", "Late"), ("short", "Short"), ("both", "Late and Short")]
# Orders per statement when all the history is stamped (install, rebuild).
BACKFILL_BATCH = 2000
# Key of the pending stamps in the cursor's precommit data.
PENDING_KEY = "dist_kpi.stamp"


class DistKpiFulfilment(models.Model):
    """A delivered sales order line, as the dashboard measures it.

    One row per goods line of a confirmed order that has a delivery, written
    by SQL when the line's deliveries, returns or invoices change (at the
    commit of the transaction, in one statement for all the orders touched)
    and for the whole history when the module is installed. Quantities are in
    the unit of the sales line, amounts in the company currency.

    A line is complete once its shipments reached the ordered quantity or no
    delivery of it is open any more (backorder cancelled); its last shipment
    is the one that completed the ordered quantity: a replacement shipped
    after a return does not make it late. Order-level columns repeat on every
    line of the order; ``order_head`` marks one line per order.
    """

    _name = "dist.kpi.fulfilment"
    _description = "Fulfilment Fact"
    _order = "order_last_ship_date desc, order_id desc, id"
    _rec_name = "sale_line_id"

    sale_line_id = fields.Many2one(
        "sale.order.line", "Order Line", required=True, readonly=True, ondelete="cascade"
    )
    order_id = fields.Many2one(
        "sale.order", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_category_id = fields.Many2one("product.category", readonly=True)

    date_confirmed = fields.Datetime("Confirmed On", readonly=True)
    promised_date = fields.Datetime(
        "Promised On", readonly=True, help="The commitment date, else the order's expected date."
    )
    first_ship_date = fields.Datetime("First Shipment", readonly=True)
    last_ship_date = fields.Datetime(
        "Last Shipment",
        readonly=True,
        help="The shipment that completed the ordered quantity, else the last one.",
    )
    qty_ordered = fields.Float("Ordered", digits="Product Unit", readonly=True)
    qty_first = fields.Float("Shipped First", digits="Product Unit", readonly=True)
    qty_on_time = fields.Float("Shipped on Time", digits="Product Unit", readonly=True)
    qty_shipped = fields.Float("Shipped", digits="Product Unit", readonly=True)
    qty_returned = fields.Float("Returned", digits="Product Unit", readonly=True)
    qty_invoiced = fields.Float("Invoiced", digits="Product Unit", readonly=True)
    unbilled_qty = fields.Float("Unbilled", digits="Product Unit", readonly=True)
    unbilled_value = fields.Monetary(readonly=True)
    is_complete = fields.Boolean("Complete", readonly=True)
    first_in_full = fields.Boolean("Filled at First Shipment", readonly=True)
    on_time = fields.Boolean(readonly=True)
    in_full = fields.Boolean(readonly=True)
    failure = fields.Selection(FAILURES, "Why", readonly=True)
    cycle_time = fields.Float("Cycle Time (h)", readonly=True, aggregator="avg")
    billed_on = fields.Datetime(
        readonly=True, help="When posted invoices first covered the shipped quantity."
    )
    invoice_lag = fields.Float("Invoice Lag (h)", readonly=True, aggregator="avg")

    order_head = fields.Boolean(readonly=True)
    order_complete = fields.Boolean(readonly=True)
    order_last_ship_date = fields.Datetime("Order Shipped On", readonly=True)
    order_on_time = fields.Boolean(readonly=True)
    order_in_full = fields.Boolean(readonly=True)
    order_otif = fields.Boolean("Order OTIF", readonly=True)
    order_failure = fields.Selection(FAILURES, readonly=True)
    order_cycle_time = fields.Float("Order Cycle Time (h)", readonly=True, aggregator="avg")
    order_invoiced = fields.Boolean(readonly=True)
    order_refunded = fields.Boolean(readonly=True)
    order_returned = fields.Boolean(readonly=True)
    order_perfect = fields.Boolean("Perfect Order", readonly=True)

    _sale_line_uniq = models.Constraint(
        "UNIQUE(sale_line_id)", "A sales order line has one fulfilment fact."
    )
    _first_ship_idx = models.Index("(first_ship_date, company_id)")
    # Predicates as the ORM writes them (IS TRUE), so that PostgreSQL matches them.
    _order_done_idx = models.Index(
        "(order_last_ship_date, company_id) WHERE order_complete IS TRUE"
    )
    _order_head_idx = models.Index(
        "(order_last_ship_date, company_id) WHERE order_head IS TRUE AND order_complete IS TRUE"
    )
    _billed_idx = models.Index("(billed_on, company_id) WHERE billed_on IS NOT NULL")
    _unbilled_idx = models.Index("(company_id, first_ship_date) WHERE unbilled_qty > 0")

    # ------------------------------------------------------------------
    # Stamping
    # ------------------------------------------------------------------
    @api.model
    def _dist_stamp_later(self, line_ids=(), order_ids=()):
        """Stamp the orders of these sales lines when the transaction commits.

        Costs no query now; the commit runs one statement for every order the
        transaction touched (validations, returns, invoices, cancellations).
        """
        if not line_ids and not order_ids:
            return
        cr = self.env.cr
        pending = cr.precommit.data.get(PENDING_KEY)
        if pending is None:
            pending = cr.precommit.data[PENDING_KEY] = {"lines": set(), "orders": set()}
            cr.precommit.add(self.sudo()._dist_stamp_pending)
        pending["lines"].update(line_ids)
        pending["orders"].update(order_ids)

    def _dist_stamp_pending(self):
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, None)
        if pending:
            self._dist_stamp(order_ids=pending["orders"], line_ids=pending["lines"])

    @api.model
    def _dist_stamp(self, order_ids=(), line_ids=(), history=False):
        """Write the facts of orders ``order_ids`` and of the orders of sales
        lines ``line_ids``: one INSERT … ON CONFLICT for their lines, facts
        of lines that no longer qualify (cancelled order, removed line)
        deleted.

        With ``history`` (install, rebuild) the billing moment of a line is
        taken from its last invoice, as the posting moment was not recorded;
        otherwise a line that becomes billed now is billed now.
        """
        without_jit(self.env)
        self.env.execute_query(self._dist_stamp_sql(order_ids, line_ids, history))
        self.invalidate_model()
        self.env["dist.kpi.order.report"].invalidate_model()

    @api.model
    def _dist_stamp_sql(self, order_ids=(), line_ids=(), history=False):
        def in_scope(column):
            # Orders as an array, never as a set computed in the statement:
            # PostgreSQL then estimates their lines from its statistics and
            # reads them through the indexes (a few orders at commit, a
            # batch of the history at install).
            if not line_ids:
                return SQL("%s = ANY(%s)", column, sorted(order_ids))
            return SQL(
                """%s IN (SELECT order_id FROM sale_order_line WHERE id = ANY(%s)
                         UNION ALL SELECT unnest(%s::int[]))""",
                column,
                sorted(line_ids),
                sorted(order_ids),
            )

        now = fields.Datetime.now()
        billed_now = SQL("inv.last_invoiced_on") if history else SQL("%s::timestamp", now)
        eps = QTY_EPSILON
        columns = [
            "sale_line_id", "order_id", "company_id", "warehouse_id", "team_id", "partner_id",
            "user_id", "product_id", "product_category_id", "date_confirmed", "promised_date",
            "first_ship_date", "last_ship_date", "qty_ordered", "qty_first", "qty_on_time",
            "qty_shipped", "qty_returned", "qty_invoiced", "unbilled_qty", "unbilled_value",
            "is_complete", "first_in_full", "on_time", "in_full", "failure", "cycle_time",
            "billed_on", "invoice_lag", "order_head", "order_complete", "order_last_ship_date",
            "order_on_time", "order_in_full", "order_otif", "order_failure", "order_cycle_time",
            "order_invoiced", "order_refunded", "order_returned", "order_perfect",
        ]  # fmt: skip
        kept = [c for c in columns if c not in ("billed_on", "invoice_lag")]
        return SQL(
            """
WITH lines AS (
    SELECT sol.id AS sale_line_id, sol.order_id, so.company_id, so.warehouse_id, so.team_id,
           partner.commercial_partner_id AS partner_id, so.user_id, sol.product_id,
           tmpl.categ_id AS product_category_id, so.date_order AS date_confirmed,
           so.invoice_status = 'invoiced' AS order_invoiced,
           sol.product_uom_qty AS qty_ordered, luom.factor AS factor,
           sol.price_reduce_taxexcl / COALESCE(NULLIF(so.currency_rate, 0), 1) AS unit_value
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN res_partner partner ON partner.id = so.partner_id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
      JOIN uom_uom luom ON luom.id = sol.product_uom_id
     WHERE %(lines_in_scope)s
       AND so.state = 'sale' AND sol.display_type IS NULL AND tmpl.type = 'consu'
       AND sol.product_uom_qty > 0
       AND EXISTS (SELECT 1 FROM stock_move m
                     JOIN stock_location d ON d.id = m.location_dest_id
                    WHERE m.sale_line_id = sol.id AND d.usage = 'customer')
),
-- Odoo's expected date: confirmation + the shortest lead time of the goods
-- lines (the longest when the order ships at once).
promise AS (
    SELECT so.id AS order_id,
           COALESCE(so.commitment_date, so.date_order + make_interval(secs => 86400 *
               CASE WHEN so.picking_policy = 'direct' THEN MIN(sol.customer_lead)
                    ELSE MAX(sol.customer_lead) END)) AS promised_date
      FROM sale_order so
      JOIN sale_order_line sol ON sol.order_id = so.id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
     WHERE so.id IN (SELECT order_id FROM lines) AND sol.display_type IS NULL
       AND tmpl.type = 'consu'
  GROUP BY so.id
),
moves AS (
    SELECT m.id, m.sale_line_id, m.picking_id, m.date, m.state, m.to_refund,
           m.origin_returned_move_id, src.usage AS src_usage, dst.usage AS dst_usage,
           m.quantity * muom.factor / l.factor AS qty
      FROM lines l
      JOIN stock_move m ON m.sale_line_id = l.sale_line_id AND m.product_id = l.product_id
      JOIN stock_location src ON src.id = m.location_id
      JOIN stock_location dst ON dst.id = m.location_dest_id
      JOIN uom_uom muom ON muom.id = m.product_uom
),
-- Shipments as sale_stock counts them: done moves to the customer, but
-- returns of returns that do not update the order.
ships AS (
    SELECT mv.sale_line_id, mv.picking_id, mv.date, mv.qty,
           SUM(mv.qty) OVER w AS cumulated, FIRST_VALUE(mv.picking_id) OVER w AS first_picking
      FROM moves mv
     WHERE mv.state = 'done' AND mv.dst_usage = 'customer'
       AND (mv.origin_returned_move_id IS NULL OR mv.to_refund)
    WINDOW w AS (PARTITION BY mv.sale_line_id ORDER BY mv.date, mv.id)
),
shipped AS (
    SELECT s.sale_line_id, MIN(s.date) AS first_ship_date, MAX(s.date) AS last_move_date,
           SUM(s.qty) AS qty_shipped,
           SUM(s.qty) FILTER (WHERE s.picking_id IS NOT DISTINCT FROM s.first_picking)
               AS qty_first,
           SUM(s.qty) FILTER (WHERE s.date <= p.promised_date) AS qty_on_time,
           MIN(s.date) FILTER (WHERE s.cumulated >= l.qty_ordered - %(eps)s) AS fulfilled_on
      FROM ships s
      JOIN lines l ON l.sale_line_id = s.sale_line_id
      JOIN promise p ON p.order_id = l.order_id
  GROUP BY s.sale_line_id
),
other AS (
    SELECT mv.sale_line_id,
           SUM(mv.qty) FILTER (WHERE mv.state = 'done' AND mv.src_usage = 'customer'
                                 AND mv.dst_usage != 'customer') AS qty_returned,
           SUM(mv.qty) FILTER (WHERE mv.state = 'done' AND mv.src_usage = 'customer'
                                 AND mv.dst_usage != 'customer' AND mv.to_refund)
               AS qty_refund_returned,
           bool_or(mv.state NOT IN ('done', 'cancel') AND mv.dst_usage = 'customer'
                   AND (mv.origin_returned_move_id IS NULL OR mv.to_refund)) AS has_open
      FROM moves mv
  GROUP BY mv.sale_line_id
),
inv AS (
    SELECT rel.order_line_id AS sale_line_id,
           SUM(CASE WHEN am.move_type = 'out_refund' THEN -1 ELSE 1 END
               * aml.quantity * COALESCE(auom.factor, l.factor) / l.factor) AS qty_invoiced,
           bool_or(am.move_type = 'out_refund') AS refunded,
           MAX(GREATEST(am.create_date, am.invoice_date::timestamp))
               FILTER (WHERE am.move_type = 'out_invoice') AS last_invoiced_on
      FROM lines l
      JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = l.sale_line_id
      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
      JOIN account_move am ON am.id = aml.move_id
 LEFT JOIN uom_uom auom ON auom.id = aml.product_uom_id
     WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
  GROUP BY rel.order_line_id
),
line AS (
    SELECT l.*, p.promised_date, sh.first_ship_date,
           COALESCE(sh.fulfilled_on, sh.last_move_date) AS last_ship_date,
           COALESCE(sh.qty_first, 0) AS qty_first,
           COALESCE(sh.qty_on_time, 0) AS qty_on_time,
           COALESCE(sh.qty_shipped, 0) AS qty_shipped,
           COALESCE(o.qty_returned, 0) AS qty_returned,
           COALESCE(inv.qty_invoiced, 0) AS qty_invoiced,
           COALESCE(sh.qty_shipped, 0) - COALESCE(o.qty_refund_returned, 0) AS shipped_net,
           COALESCE(inv.refunded, FALSE) AS refunded,
           (sh.fulfilled_on IS NOT NULL OR NOT COALESCE(o.has_open, FALSE)) AS is_complete,
           %(billed_now)s AS billed_now
      FROM lines l
      JOIN promise p ON p.order_id = l.order_id
 LEFT JOIN shipped sh ON sh.sale_line_id = l.sale_line_id
 LEFT JOIN other o ON o.sale_line_id = l.sale_line_id
 LEFT JOIN inv ON inv.sale_line_id = l.sale_line_id
),
flag AS (
    SELECT line.*,
           CASE WHEN first_ship_date IS NOT NULL
                THEN qty_first >= qty_ordered - %(eps)s END AS first_in_full,
           CASE WHEN last_ship_date IS NOT NULL THEN last_ship_date <= promised_date END AS on_time,
           qty_shipped >= qty_ordered - %(eps)s AS in_full,
           GREATEST(shipped_net - qty_invoiced, 0) AS unbilled_raw,
           CASE WHEN shipped_net > %(eps)s AND qty_invoiced >= shipped_net - %(eps)s
                THEN billed_now END AS billed_on
      FROM line
),
fact AS (
    SELECT flag.*,
           CASE WHEN unbilled_raw > %(eps)s THEN unbilled_raw ELSE 0 END AS unbilled_qty,
           CASE WHEN unbilled_raw > %(eps)s THEN unbilled_raw * unit_value ELSE 0 END
               AS unbilled_value,
           CASE WHEN is_complete THEN
               CASE WHEN on_time IS FALSE AND NOT in_full THEN 'both'
                    WHEN on_time IS FALSE THEN 'late'
                    WHEN NOT in_full THEN 'short' END END AS failure,
           CASE WHEN is_complete
                THEN EXTRACT(EPOCH FROM (last_ship_date - date_confirmed)) / %(hour)s
                END AS cycle_time,
           GREATEST(EXTRACT(EPOCH FROM (billed_on - last_ship_date)) / %(hour)s, 0)
               AS invoice_lag,
           row_number() OVER o = 1 AS order_head,
           bool_and(is_complete) OVER o AS order_complete,
           MAX(last_ship_date) OVER o AS order_last_ship,
           bool_and(on_time) OVER o AS order_on_time_raw,
           bool_and(in_full) OVER o AS order_in_full,
           bool_or(refunded) OVER o AS order_refunded,
           SUM(qty_returned) OVER o > %(eps)s AS order_returned
      FROM flag
    WINDOW o AS (PARTITION BY order_id ORDER BY sale_line_id
                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
final AS (
    SELECT fact.*,
           CASE WHEN order_complete THEN order_last_ship END AS order_last_ship_date,
           COALESCE(order_on_time_raw, FALSE) AS order_on_time,
           COALESCE(order_on_time_raw, FALSE) AND order_in_full AS order_otif,
           CASE WHEN order_complete THEN
               CASE WHEN NOT COALESCE(order_on_time_raw, TRUE) AND NOT order_in_full THEN 'both'
                    WHEN NOT COALESCE(order_on_time_raw, TRUE) THEN 'late'
                    WHEN NOT order_in_full THEN 'short' END END AS order_failure,
           CASE WHEN order_complete
                THEN EXTRACT(EPOCH FROM (order_last_ship - date_confirmed)) / %(hour)s
                END AS order_cycle_time,
           COALESCE(order_on_time_raw, FALSE) AND order_in_full AND order_invoiced
               AND NOT order_refunded AND NOT order_returned AS order_perfect
      FROM fact
),
gone AS (
    DELETE FROM dist_kpi_fulfilment f
     WHERE %(facts_in_scope)s
       AND NOT EXISTS (SELECT 1 FROM final WHERE final.sale_line_id = f.sale_line_id)
)
INSERT INTO dist_kpi_fulfilment (%(columns)s, create_uid, create_date, write_uid, write_date)
SELECT %(columns)s, %(uid)s, %(now)s, %(uid)s, %(now)s FROM final
ON CONFLICT (sale_line_id) DO UPDATE SET %(updates)s,
    billed_on = CASE WHEN EXCLUDED.billed_on IS NOT NULL
                     THEN COALESCE(dist_kpi_fulfilment.billed_on, EXCLUDED.billed_on) END,
    invoice_lag = CASE WHEN EXCLUDED.billed_on IS NOT NULL
                       THEN GREATEST(EXTRACT(EPOCH FROM (
                                COALESCE(dist_kpi_fulfilment.billed_on, EXCLUDED.billed_on)
                                - EXCLUDED.last_ship_date)) / %(hour)s, 0) END,
    write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
""",
            lines_in_scope=in_scope(SQL("sol.order_id")),
            facts_in_scope=in_scope(SQL("f.order_id")),
            eps=eps,
            hour=HOUR,
            billed_now=billed_now,
            columns=SQL(", ").join(map(SQL.identifier, columns)),
            updates=SQL(", ").join(
                SQL("%s = EXCLUDED.%s", SQL.identifier(c), SQL.identifier(c)) for c in kept
            ),
            uid=self.env.uid,
            now=now,
        )

    @api.model
    def _dist_backfill(self, order_ids=None):
        """Stamp the history (``order_ids``, default every confirmed order
        with a shipment) in batches. Used at install and by the Rebuild
        action."""
        self.env.flush_all()
        if order_ids is not None:
            for batch in split_every(BACKFILL_BATCH, order_ids, list):
                self._dist_stamp(order_ids=batch, history=True)
            return len(order_ids)
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT sol.order_id
                     FROM stock_move m
                     JOIN stock_location d ON d.id = m.location_dest_id
                     JOIN sale_order_line sol ON sol.id = m.sale_line_id
                    WHERE m.state = 'done' AND d.usage = 'customer'
                 ORDER BY sol.order_id"""
            )
        )
        order_ids = [row[0] for row in rows]
        for batch in split_every(BACKFILL_BATCH, order_ids, list):
            self._dist_stamp(order_ids=batch, history=True)
        _logger.info("dist_kpi: fulfilment facts stamped for %s orders", len(order_ids))
        return len(order_ids)
