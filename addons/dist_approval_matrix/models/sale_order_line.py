# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

WATCHED_FIELDS = {
    "product_id",
    "product_uom_qty",
    "product_uom_id",
    "price_unit",
    "discount",
    "purchase_price",
    "display_type",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._dist_approval_recheck()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if WATCHED_FIELDS & set(vals):
            self.order_id._dist_approval_recheck()
        return res

    def unlink(self):
        orders = self.order_id
        res = super().unlink()
        orders.exists()._dist_approval_recheck()
        return res
