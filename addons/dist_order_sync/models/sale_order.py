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
RISK_LEVELS = [
    ("none", "None"),
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
]
# What the risk scan and the customer notifications record: only they write it.
RISK_FIELDS = frozenset(
    {
        "dist_promise_date",
        "dist_estimated_ship_date",
        "dist_risk_score",
        "dist_risk_level",
        "dist_risk_reasons",
        "dist_notified_estimate",
        "dist_notified_shipments",
    }
)


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

    # Orders at risk of missing their promise: written by the exception scan
    # (dist.order.risk) for every order still to ship, in bulk.
    dist_promise_date = fields.Date(
        "Promise",
        readonly=True,
        copy=False,
        help="The day the order is promised for (in the company's timezone): its "
        "delivery date (commitment), else its expected date. The risk is measured "
        "against it.",
    )
    dist_estimated_ship_date = fields.Date(
        "Estimated Ship Date",
        readonly=True,
        copy=False,
        help="When the order can leave, from its stock, its incoming receipts and "
        "their suppliers' record, the warehouse's backlog and pending approvals. "
        "Empty when a line has no supply in sight.",
    )
    dist_risk_score = fields.Integer(
        "Risk Score",
        readonly=True,
        copy=False,
        aggregator="max",
        help="Chance, in %, that the order misses its promise.",
    )
    dist_risk_level = fields.Selection(
        RISK_LEVELS,
        string="Risk",
        readonly=True,
        copy=False,
        index="btree_not_null",
        group_expand=True,
        help="The risk score against the company's thresholds; empty once the order "
        "is shipped or cancelled.",
    )
    dist_risk_reasons = fields.Text(
        "Risk Reasons",
        readonly=True,
        copy=False,
        help="Why the order may miss its promise, in words to repeat to the customer.",
    )
    dist_notified_estimate = fields.Date(
        "Delay Announced For",
        readonly=True,
        copy=False,
        help="The estimated ship date last announced to the customer in a delay notice.",
    )
    dist_notified_shipments = fields.Integer(
        "Shipments Announced",
        readonly=True,
        copy=False,
        help="Deliveries of the order already announced to the customer.",
    )
    dist_next_shipment_date = fields.Date(
        "Next Shipment",
        compute="_compute_dist_next_shipment_date",
        help="When what is left to deliver should ship: the estimated ship date, else "
        "the earliest scheduled date of the open deliveries.",
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

    @api.depends("dist_estimated_ship_date", "picking_ids.scheduled_date", "picking_ids.state")
    def _compute_dist_next_shipment_date(self):
        for order in self:
            scheduled = order.picking_ids.filtered(
                lambda p: p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
            ).mapped("scheduled_date")
            order.dist_next_shipment_date = order.dist_estimated_ship_date or (
                fields.Date.context_today(order, min(scheduled)) if scheduled else False
            )

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
        return super()._dist_protected_field_names() | {"dist_order_stage"} | RISK_FIELDS
