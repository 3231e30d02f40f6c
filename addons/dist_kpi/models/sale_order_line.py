# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def write(self, vals):
        res = super().write(vals)
        if "product_uom_qty" in vals or "price_unit" in vals or "discount" in vals:
            self.env["dist.kpi.fulfilment"]._dist_stamp_later(line_ids=self.ids)
        return res
