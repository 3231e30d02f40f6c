# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class PurchaseOrderLine(models.Model):
    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "dist.approval.line.mixin"]
    _dist_approval_document_field = "order_id"
    _dist_approval_quantity_field = "product_qty"
    _dist_approval_line_watched_fields = frozenset(
        {"product_id", "product_qty", "product_uom_id", "price_unit", "discount"}
    )
    _dist_approval_exempt_fields = frozenset({"display_type", "is_downpayment"})

    @api.model
    def _dist_approval_exempt_vals(self, values):
        return super()._dist_approval_exempt_vals(values) or bool(
            values["is_downpayment"] if "is_downpayment" in values else False
        )
