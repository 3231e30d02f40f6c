# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import fields, models
from odoo.tools import SQL

from .dist_return import AUTHORIZED_STATES


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "dist.protected.mixin"]

    dist_qty_return_authorized = fields.Float(
        "Authorized for Return",
        digits="Product Unit",
        readonly=True,
        copy=False,
        help="Quantity open return authorizations still expect from the customer.",
    )

    def _dist_protected_field_names(self):
        return super()._dist_protected_field_names() | {"dist_qty_return_authorized"}

    def _dist_returnable_quantities(self, exclude=None):
        """What each order line may still get back, in its own unit, in one query.

        ``{line id: {"delivered", "returned", "authorized", "returnable"}}``:
        delivered to the customer (returns of returns included), returned
        (done returns, and returns in progress outside return
        authorizations), authorized on open return authorizations (less
        what they already received); ``exclude`` (returns) is left out of
        the authorized quantity.
        """
        ids = [line_id for line_id in self.ids if isinstance(line_id, int)]
        if not ids:
            return {}
        excluded = [rid for rid in (exclude.ids if exclude else []) if isinstance(rid, int)]
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                WITH moves AS (
                    SELECT m.sale_line_id,
                           SUM(m.product_qty) FILTER (
                               WHERE m.state = 'done' AND dest.usage = 'customer'
                                 AND src.usage != 'customer'
                                 AND (m.origin_returned_move_id IS NULL OR m.to_refund)
                           ) AS delivered,
                           SUM(CASE WHEN m.state = 'done' THEN m.product_qty
                                    ELSE m.product_uom_qty * mu.factor / pu.factor END) FILTER (
                               WHERE src.usage = 'customer' AND dest.usage != 'customer'
                                 AND m.to_refund AND m.state != 'cancel'
                                 AND (m.state = 'done' OR p.dist_return_role IS NULL)
                           ) AS returned
                      FROM stock_move m
                      JOIN stock_location src ON src.id = m.location_id
                      JOIN stock_location dest ON dest.id = m.location_dest_id
                      JOIN uom_uom mu ON mu.id = m.product_uom
                      JOIN product_product pp ON pp.id = m.product_id
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                      JOIN uom_uom pu ON pu.id = pt.uom_id
                 LEFT JOIN stock_picking p ON p.id = m.picking_id
                     WHERE m.sale_line_id = ANY(%(ids)s)
                  GROUP BY m.sale_line_id
                ), authorized AS (
                    SELECT l.sale_line_id,
                           SUM(GREATEST(l.quantity - COALESCE(l.quantity_received, 0), 0)) AS qty
                      FROM dist_return_line l
                      JOIN dist_return r ON r.id = l.return_id
                     WHERE l.sale_line_id = ANY(%(ids)s) AND r.state IN %(states)s
                       AND r.id != ALL(%(excluded)s)
                  GROUP BY l.sale_line_id
                )
                SELECT sol.id,
                       COALESCE(mv.delivered, 0) * pu.factor / lu.factor,
                       COALESCE(mv.returned, 0) * pu.factor / lu.factor,
                       COALESCE(a.qty, 0)
                  FROM sale_order_line sol
                  JOIN uom_uom lu ON lu.id = sol.product_uom_id
                  JOIN product_product pp ON pp.id = sol.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom pu ON pu.id = pt.uom_id
             LEFT JOIN moves mv ON mv.sale_line_id = sol.id
             LEFT JOIN authorized a ON a.sale_line_id = sol.id
                 WHERE sol.id = ANY(%(ids)s)
                """,
                ids=ids,
                states=AUTHORIZED_STATES,
                excluded=excluded,
            )
        )
        result = {}
        for line_id, delivered, returned, authorized in rows:
            result[line_id] = {
                "delivered": delivered,
                "returned": returned,
                "authorized": authorized,
                "returnable": max(delivered - returned - authorized, 0.0),
            }
        return result

    def _dist_cap_message(self, asked, room):
        """Why ``asked`` units of this line cannot be returned, in words."""
        self.ensure_one()
        uom = self.product_uom_id
        return self.env._(
            "%(product)s: %(asked)s %(uom)s asked, only %(returnable)s still returnable on "
            "%(order)s (%(delivered)s delivered, %(returned)s returned, %(authorized)s on "
            "other open returns).",
            product=self.product_id.display_name,
            asked=uom.round(asked),
            uom=uom.name,
            returnable=uom.round(room["returnable"]),
            order=self.order_id.name,
            delivered=uom.round(room["delivered"]),
            returned=uom.round(room["returned"]),
            authorized=uom.round(room["authorized"]),
        )

    def _dist_lock_for_return(self):
        """Lock these order lines until the end of the transaction.

        Whoever authorizes returns of them holds this lock and then updates
        their authorized quantity: a concurrent authorization of the same
        lines waits, then fails with a serialization error and is retried
        (Odoo's request retry) on fresh data, where the cap holds.
        """
        ids = sorted(line_id for line_id in self.ids if isinstance(line_id, int))
        if ids:
            self.env.execute_query(
                SQL(
                    "SELECT id FROM sale_order_line WHERE id = ANY(%s) ORDER BY id "
                    "FOR NO KEY UPDATE",
                    ids,
                )
            )

    def _dist_refresh_return_authorized(self):
        """Record on each line what open returns still expect."""
        if not self:
            return
        quantities = self._dist_returnable_quantities()
        by_value = defaultdict(list)
        for line in self:
            value = line.product_uom_id.round(quantities.get(line.id, {}).get("authorized", 0.0))
            by_value[value].append(line.id)
        Line = self.sudo()._dist_as_system()
        for value, ids in by_value.items():
            Line.browse(ids).write({"dist_qty_return_authorized": value})

    def _dist_original_invoice_lines(self):
        """The posted customer invoice lines these order lines were billed on.

        :return: ({order line: its latest invoice line}, {delivery move: the
            invoice line billing it (delivery-triggered billing)})
        """
        invoice_lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("sale_line_ids", "in", self.ids),
                    ("move_id.move_type", "=", "out_invoice"),
                    ("parent_state", "=", "posted"),
                    ("display_type", "=", "product"),
                ],
                order="date, id",
            )
        )
        by_line, by_move = {}, {}
        for invoice_line in invoice_lines:
            for sale_line in invoice_line.sale_line_ids:
                by_line[sale_line] = invoice_line
            if invoice_line.dist_stock_move_id:
                by_move[invoice_line.dist_stock_move_id] = invoice_line
        return by_line, by_move
