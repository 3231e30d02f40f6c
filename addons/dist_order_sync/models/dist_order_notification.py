# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# Shipments older than this when a customer starts receiving updates are not
# announced any more.
RECENT_SHIPMENT_DAYS = 3


class DistOrderNotification(models.AbstractModel):
    """E-mails telling customers what happens to their orders.

    Three events, each sent once per order and kept in its chatter, with the
    company's editable mail templates: the order will miss its promise (with
    the new estimate; announced again only when the estimate moves by more
    than the company's margin), part of it shipped (what, and what follows
    when), all of it shipped. Customers choose; the company sets the default.
    The cron finds the events with SQL after the exception scan has estimated
    the ship dates: validating a delivery costs nothing for this.
    """

    _name = "dist.order.notification"
    _description = "Order Updates to Customers"

    @api.model
    def _cron_dist_notify(self):
        self._dist_notify()

    @api.model
    def _dist_notify(self):
        """Send the updates due now; return the orders notified."""
        self.env.flush_all()
        return self._dist_notify_shipments() | self._dist_notify_delays()

    @api.model
    def _dist_notify_shipments(self):
        """Orders with a delivery done since their last update: shipped, or
        partially shipped."""
        rows = self.env.execute_query(
            SQL(
                """SELECT so.id, COUNT(p.id)
                     FROM sale_order so
                     JOIN stock_picking p ON p.sale_id = so.id AND p.state = 'done'
                     JOIN stock_picking_type t ON t.id = p.picking_type_id AND t.code = 'outgoing'
                    WHERE so.state = 'sale'
                 GROUP BY so.id
                   HAVING COUNT(p.id) > COALESCE(so.dist_notified_shipments, 0)
                      AND MAX(p.date_done) >= %s""",
                fields.Datetime.now() - timedelta(days=RECENT_SHIPMENT_DAYS),
            )
        )
        shipments = dict(rows)
        orders = self._dist_wanting(self.env["sale.order"].browse(shipments))
        shipped = self.env.ref("dist_order_sync.mail_template_dist_order_shipped")
        partial = self.env.ref("dist_order_sync.mail_template_dist_order_partially_shipped")
        for order in orders:
            order._send_order_notification_mail(
                shipped if order.delivery_status == "full" else partial
            )
            order._dist_as_system().write({"dist_notified_shipments": shipments[order.id]})
        return orders

    @api.model
    def _dist_notify_delays(self):
        """Orders estimated to ship after their promise, not announced yet or
        announced with an estimate that moved by more than the margin."""
        rows = self.env.execute_query(
            SQL(
                """SELECT so.id
                     FROM sale_order so
                     JOIN res_company c ON c.id = so.company_id
                    WHERE so.state = 'sale' AND so.dist_risk_level IS NOT NULL
                      AND so.dist_estimated_ship_date > so.dist_promise_date
                      AND (so.dist_notified_estimate IS NULL
                           OR ABS(so.dist_estimated_ship_date - so.dist_notified_estimate)
                              > c.dist_notify_delay_margin)"""
            )
        )
        orders = self._dist_wanting(self.env["sale.order"].browse(row[0] for row in rows))
        delayed = self.env.ref("dist_order_sync.mail_template_dist_order_delayed")
        for order in orders:
            order._send_order_notification_mail(delayed)
            order._dist_as_system().write(
                {"dist_notified_estimate": order.dist_estimated_ship_date}
            )
        return orders

    @api.model
    def _dist_wanting(self, orders):
        """The orders of customers who want order updates from their company."""
        return orders.filtered(
            lambda order: order.partner_id.with_company(
                order.company_id
            )._dist_wants_order_updates()
        )
