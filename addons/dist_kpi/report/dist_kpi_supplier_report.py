# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

from ..catalog import QTY_EPSILON


class DistKpiSupplierReport(models.Model):
    """Purchase order lines against their planned date.

    One row per goods line of a confirmed purchase order: the quantity
    ordered and the quantity received from the supplier by the line's planned
    date (in the product's unit). The received quantities are summed per line
    in a lateral subquery, so that a filter on the planned date or the
    supplier is applied before the receipts are read.
    """

    _name = "dist.kpi.supplier.report"
    _description = "Supplier On-Time Analysis"
    _auto = False
    _order = "date_planned desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("purchase.order", "Purchase Order", readonly=True)
    partner_id = fields.Many2one("res.partner", "Supplier", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    date_planned = fields.Datetime("Planned On", readonly=True)
    last_receipt_date = fields.Datetime("Last Receipt", readonly=True)
    qty_ordered = fields.Float("Ordered", digits="Product Unit", readonly=True)
    qty_received = fields.Float("Received", digits="Product Unit", readonly=True)
    qty_on_time = fields.Float("Received on Time", digits="Product Unit", readonly=True)
    on_time = fields.Boolean(readonly=True)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %(view)s AS (
                    SELECT pol.id, pol.order_id, po.partner_id, pol.company_id,
                           pt.warehouse_id, pol.product_id, pol.date_planned,
                           r.last_receipt_date, pol.product_uom_qty AS qty_ordered,
                           COALESCE(r.qty_received, 0) AS qty_received,
                           COALESCE(r.qty_on_time, 0) AS qty_on_time,
                           COALESCE(r.qty_on_time, 0) >= pol.product_uom_qty - %(eps)s
                               AS on_time
                      FROM purchase_order_line pol
                      JOIN purchase_order po ON po.id = pol.order_id
                 LEFT JOIN stock_picking_type pt ON pt.id = po.picking_type_id
                 LEFT JOIN LATERAL (
                        SELECT SUM(m.quantity * muom.factor / puom.factor) AS qty_received,
                               SUM(m.quantity * muom.factor / puom.factor)
                                   FILTER (WHERE m.date <= pol.date_planned) AS qty_on_time,
                               MAX(m.date) AS last_receipt_date
                          FROM stock_move m
                          JOIN stock_location src ON src.id = m.location_id
                          JOIN uom_uom muom ON muom.id = m.product_uom
                          JOIN product_product pp ON pp.id = m.product_id
                          JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
                          JOIN uom_uom puom ON puom.id = tmpl.uom_id
                         WHERE m.purchase_line_id = pol.id AND m.state = 'done'
                           AND src.usage = 'supplier'
                      ) r ON TRUE
                     WHERE po.state IN ('purchase', 'done') AND pol.display_type IS NULL
                       AND pol.product_uom_qty > 0
                )""",
                view=SQL.identifier(self._table),
                eps=QTY_EPSILON,
            )
        )
