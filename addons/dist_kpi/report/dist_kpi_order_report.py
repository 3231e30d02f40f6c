# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

from ..models.dist_kpi_fulfilment import FAILURES


class DistKpiOrderReport(models.Model):
    """Delivered orders: one row per order whose deliveries are complete.

    A view on the fulfilment facts (their order-level columns, one line per
    order): when the order shipped, against which promise, whether on time,
    in full, invoiced without credit note and not returned, and its cycle
    time from confirmation to the shipment that completed it.
    """

    _name = "dist.kpi.order.report"
    _description = "Delivered Orders Analysis"
    _auto = False
    _order = "last_ship_date desc, id desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    date_confirmed = fields.Datetime("Confirmed On", readonly=True)
    promised_date = fields.Datetime("Promised On", readonly=True)
    last_ship_date = fields.Datetime("Shipped On", readonly=True)
    on_time = fields.Boolean(readonly=True)
    in_full = fields.Boolean(readonly=True)
    otif = fields.Boolean("OTIF", readonly=True)
    failure = fields.Selection(FAILURES, "Why", readonly=True)
    invoiced = fields.Boolean("Fully Invoiced", readonly=True)
    refunded = fields.Boolean("Credit Note", readonly=True)
    returned = fields.Boolean(readonly=True)
    perfect = fields.Boolean("Perfect Order", readonly=True)
    cycle_time = fields.Float("Cycle Time (h)", readonly=True, aggregator="avg")
    order_count = fields.Integer("Orders", readonly=True)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS (
                    SELECT f.order_id AS id, f.order_id, f.company_id, f.warehouse_id,
                           f.team_id, f.partner_id, f.user_id, f.date_confirmed,
                           f.promised_date, f.order_last_ship_date AS last_ship_date,
                           f.order_on_time AS on_time, f.order_in_full AS in_full,
                           f.order_otif AS otif, f.order_failure AS failure,
                           f.order_invoiced AS invoiced, f.order_refunded AS refunded,
                           f.order_returned AS returned, f.order_perfect AS perfect,
                           f.order_cycle_time AS cycle_time, 1 AS order_count
                      FROM dist_kpi_fulfilment f
                     WHERE f.order_head IS TRUE AND f.order_complete IS TRUE
                       AND f.order_last_ship_date IS NOT NULL
                )""",
                SQL.identifier(self._table),
            )
        )
