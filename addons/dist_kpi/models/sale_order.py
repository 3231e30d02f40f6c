# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

# Changes of an order that change its fulfilment facts.
STAMPED_FIELDS = {"state", "commitment_date", "date_order", "partner_id", "team_id", "user_id"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dist_kpi_exception_ids = fields.One2many(
        "dist.exception",
        "sale_order_id",
        string="All Exceptions",
        help="Every exception raised about the order, open or closed.",
    )

    def write(self, vals):
        res = super().write(vals)
        # A confirmation has shipped nothing yet; its first delivery stamps it.
        if STAMPED_FIELDS.intersection(vals) and vals.get("state") != "sale":
            self.env["dist.kpi.fulfilment"]._dist_stamp_later(order_ids=self.ids)
        return res
