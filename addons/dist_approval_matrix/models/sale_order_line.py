# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "dist.approval.line.mixin"]
    _dist_approval_document_field = "order_id"
    _dist_approval_line_watched_fields = frozenset(
        {"product_id", "product_uom_qty", "product_uom_id", "price_unit", "discount",
         "purchase_price", "display_type"}
    )  # fmt: skip
