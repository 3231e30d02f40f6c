# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    dist_invoice_line_ids = fields.One2many(
        "account.move.line",
        "dist_stock_move_id",
        string="Billed By",
        readonly=True,
        copy=False,
    )

    def _dist_is_billable(self):
        """Whether this move may bill a customer: a done sales move to the
        customer, or back from the customer to be refunded. The exact rule is
        sale_stock's (see ``stock.picking._dist_move_signs``); this one only
        decides cheaply whether the transfer is worth billing."""
        self.ensure_one()
        return bool(
            self.state == "done"
            and self.sale_line_id
            and (
                self.location_dest_id._is_outgoing()
                or (self.to_refund and self.location_id._is_outgoing())
            )
        )
