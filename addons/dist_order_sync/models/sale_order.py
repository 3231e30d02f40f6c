# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

ORDER_STAGES = [
    ("quotation", "Quotation"),
    ("to_approve", "To Approve"),
    ("confirmed", "Confirmed"),
    ("partially_shipped", "Partially Shipped"),
    ("shipped", "Shipped"),
    ("invoiced", "Invoiced"),
    ("paid", "Paid"),
    ("cancelled", "Cancelled"),
]
# Payment states of a settled invoice or credit note.
SETTLED_PAYMENT_STATES = ("paid", "in_payment", "reversed")


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "dist.exception.link.mixin"]
    _dist_exception_field = "sale_order_id"

    dist_order_stage = fields.Selection(
        ORDER_STAGES,
        string="Order Status",
        compute="_compute_dist_order_stage",
        store=True,
        index=True,
        group_expand=True,
        help="One status for sales, warehouse and finance, derived from the "
        "order, its approval, its deliveries, its invoices and their payment.",
    )
    dist_exception_ids = fields.One2many(
        "dist.exception",
        "sale_order_id",
        string="Open Exceptions",
        domain=[("state", "in", ("open", "in_progress"))],
    )

    @api.depends(
        "state",
        "approval_state",
        "delivery_status",
        "invoice_status",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.payment_state",
    )
    def _compute_dist_order_stage(self):
        for order in self:
            order.dist_order_stage = order._dist_stage()

    def _dist_stage(self):
        self.ensure_one()
        if self.state == "cancel":
            return "cancelled"
        if self.state != "sale":
            return "to_approve" if self.approval_state == "pending" else "quotation"
        if self.delivery_status == "partial":
            return "partially_shipped"
        if self.delivery_status in ("pending", "started"):
            return "confirmed"
        if self.invoice_status != "invoiced":
            return "shipped" if self.delivery_status == "full" else "confirmed"
        invoices = self.invoice_ids.filtered(lambda m: m.state != "cancel")
        if invoices and all(
            inv.state == "posted" and inv.payment_state in SETTLED_PAYMENT_STATES
            for inv in invoices
        ):
            return "paid"
        return "invoiced"

    def _dist_protected_field_names(self):
        return super()._dist_protected_field_names() | {"dist_order_stage"}
