# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dist_billing_policy = fields.Selection(
        related="company_id.dist_billing_policy", readonly=False, required=True
    )
    dist_billing_period = fields.Selection(
        related="company_id.dist_billing_period", readonly=False, required=True
    )
    dist_invoice_auto_post = fields.Boolean(
        related="company_id.dist_invoice_auto_post", readonly=False
    )
    dist_invoice_date_delivery = fields.Boolean(
        related="company_id.dist_invoice_date_delivery", readonly=False
    )
    dist_billing_user_id = fields.Many2one(
        related="company_id.dist_billing_user_id", readonly=False
    )
    dist_unbilled_delay = fields.Integer(related="company_id.dist_unbilled_delay", readonly=False)
    dist_late_delivery_grace = fields.Integer(
        related="company_id.dist_late_delivery_grace", readonly=False
    )
    dist_billing_retry_limit = fields.Integer(
        related="company_id.dist_billing_retry_limit", readonly=False
    )
    dist_exception_user_id = fields.Many2one(
        related="company_id.dist_exception_user_id", readonly=False
    )
    dist_exception_digest = fields.Boolean(
        related="company_id.dist_exception_digest", readonly=False
    )
    dist_billing_in_request = fields.Boolean(
        "Invoice During Validation",
        config_parameter="dist_order_sync.billing_in_request",
        help="Invoice each delivery inside the request that validates it (under a "
        "savepoint) instead of waking the billing cron, which invoices in batches "
        "a moment later. The invoice is there at once, but validating takes "
        "longer: see the benchmark in tests/benchmarks.",
    )

    dist_risk_low = fields.Integer(related="company_id.dist_risk_low", readonly=False)
    dist_risk_medium = fields.Integer(related="company_id.dist_risk_medium", readonly=False)
    dist_risk_high = fields.Integer(related="company_id.dist_risk_high", readonly=False)
    dist_replenish_auto = fields.Boolean(related="company_id.dist_replenish_auto", readonly=False)
    dist_replenish_min_qty = fields.Float(
        related="company_id.dist_replenish_min_qty", readonly=False
    )
    dist_replenish_min_value = fields.Monetary(
        related="company_id.dist_replenish_min_value", readonly=False
    )
    dist_replenish_user_id = fields.Many2one(
        related="company_id.dist_replenish_user_id", readonly=False
    )
    dist_order_notify = fields.Boolean(related="company_id.dist_order_notify", readonly=False)
    dist_notify_delay_margin = fields.Integer(
        related="company_id.dist_notify_delay_margin", readonly=False
    )
