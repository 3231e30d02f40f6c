# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "dist.approval.line.mixin"]
    _dist_approval_document_field = "order_id"
    _dist_approval_quantity_field = "product_uom_qty"
    _dist_approval_line_watched_fields = frozenset(
        {"product_id", "product_uom_qty", "product_uom_id", "price_unit", "discount",
         "purchase_price", "display_type"}
    )  # fmt: skip
    _dist_approval_exempt_fields = frozenset(
        {"display_type", "is_downpayment", "is_delivery", "reward_id"}
    )

    @api.model
    def _dist_approval_exempt_vals(self, values):
        # Down payments, delivery costs (added when the carrier bills) and
        # loyalty rewards are Odoo's bookkeeping on a confirmed order.
        return super()._dist_approval_exempt_vals(values) or any(
            values[name] if name in values else False
            for name in ("is_downpayment", "is_delivery", "reward_id")
        )
