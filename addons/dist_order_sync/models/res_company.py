# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

BILLING_POLICIES = [
    ("manual", "Manual"),
    ("delivery", "Each Delivery"),
    ("consolidated", "Consolidated per Period"),
]
BILLING_PERIODS = [
    ("daily", "Daily"),
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    dist_billing_policy = fields.Selection(
        BILLING_POLICIES,
        string="Default Billing Policy",
        default="manual",
        required=True,
        help="Billing policy of customers that do not set their own. Manual is "
        "Odoo's standard behaviour: invoices are created from the sales orders.",
    )
    dist_billing_period = fields.Selection(
        BILLING_PERIODS,
        string="Default Billing Period",
        default="monthly",
        required=True,
        help="Period of consolidated billing for customers that do not set their own.",
    )
    dist_invoice_auto_post = fields.Boolean(
        "Post Invoices Automatically",
        default=True,
        help="Post the invoices and credit notes created from deliveries; "
        "otherwise they are left in draft for review.",
    )
    dist_invoice_date_delivery = fields.Boolean(
        "Invoice Date = Delivery Date",
        help="Date invoices with the day the goods left (the last delivery of a "
        "consolidated invoice) instead of the day they are created.",
    )
    dist_billing_user_id = fields.Many2one(
        "res.users",
        string="Billing Responsible",
        domain=[("share", "=", False)],
        help="Owner of billing failures and unbilled deliveries.",
    )
    dist_unbilled_delay = fields.Integer(
        "Unbilled Delivery Delay (hours)",
        default=24,
        help="A done delivery that is still not billed this many hours after it "
        "became due raises an 'Unbilled Delivery' exception.",
    )
    dist_late_delivery_grace = fields.Integer(
        "Late Delivery Grace (hours)",
        default=0,
        help="An outgoing delivery not done this many hours after its scheduled "
        "date raises a 'Late Delivery' exception; 0 flags it as soon as the "
        "scheduled date is past.",
    )
    dist_billing_retry_limit = fields.Integer(
        "Billing Attempts",
        default=10,
        help="After this many failed attempts in a row the catch-up cron stops "
        "retrying a delivery and marks it Failed; 'Retry Billing' starts over.",
    )
    dist_exception_user_id = fields.Many2one(
        "res.users",
        string="Default Exception Owner",
        domain=[("share", "=", False)],
        help="Owner of the exceptions no routing rule, salesperson or team leader takes "
        "(e.g. a late delivery of a transfer without order).",
    )
    dist_exception_digest = fields.Boolean(
        "Daily Exception Digest",
        help="Send every exception owner a daily e-mail listing their open exceptions.",
    )

    # Orders at risk, replenishment, customer notifications
    dist_risk_low = fields.Integer(
        "Low Risk From",
        default=10,
        help="Risk score (0-100: the chance, in %, that the order misses its promise) "
        "from which an order is at low risk.",
    )
    dist_risk_medium = fields.Integer(
        "Medium Risk From", default=25, help="Risk score from which an order is at medium risk."
    )
    dist_risk_high = fields.Integer(
        "High Risk From",
        default=50,
        help="Risk score from which an order is at high risk: an 'Order at Risk' "
        "exception goes to its salesperson.",
    )
    dist_replenish_auto = fields.Boolean(
        "Replenish Shortages Automatically",
        help="After each scan, order the missing quantity of shortages and orders at "
        "high risk from the product's vendor (a new or an open request for quotation), "
        "for products with a vendor and shortages above the quantity or value below.",
    )
    dist_replenish_min_qty = fields.Float(
        "Automatic From Quantity",
        digits="Product Unit",
        help="Replenish automatically when the missing quantity of a product reaches "
        "this quantity (0: any quantity).",
    )
    dist_replenish_min_value = fields.Monetary(
        "Automatic From Value",
        currency_field="currency_id",
        help="... or when the missing quantity is worth this much at cost (0: any value).",
    )
    dist_replenish_user_id = fields.Many2one(
        "res.users",
        string="Replenishment Buyer",
        domain=[("share", "=", False)],
        help="Gets the activity to confirm a request for quotation made from a shortage "
        "when its vendor has no buyer.",
    )
    dist_order_notify = fields.Boolean(
        "Order Updates to Customers",
        help="E-mail customers when their order will miss its promise, is partially "
        "shipped and is shipped (customers may choose otherwise).",
    )
    dist_notify_delay_margin = fields.Integer(
        "Announce a New Estimate After (days)",
        default=2,
        help="A delay already announced is announced again only when the estimated "
        "ship date moves by more than this many days.",
    )

    @api.constrains(
        "dist_risk_low",
        "dist_risk_medium",
        "dist_risk_high",
        "dist_replenish_min_qty",
        "dist_replenish_min_value",
        "dist_notify_delay_margin",
    )
    def _check_dist_risk_settings(self):
        for company in self:
            if (
                not 0
                < company.dist_risk_low
                < company.dist_risk_medium
                < company.dist_risk_high
                <= 100
            ):
                raise ValidationError(
                    _(
                        "%(company)s: risk levels must start at increasing scores between "
                        "1 and 100 (low < medium < high); they are %(low)s, %(medium)s "
                        "and %(high)s.",
                        company=company.name,
                        low=company.dist_risk_low,
                        medium=company.dist_risk_medium,
                        high=company.dist_risk_high,
                    )
                )
            if company.dist_replenish_min_qty < 0 or company.dist_replenish_min_value < 0:
                raise ValidationError(
                    _(
                        "%(company)s: the quantity and value from which shortages are "
                        "replenished automatically cannot be negative; set 0 for any.",
                        company=company.name,
                    )
                )
            if company.dist_notify_delay_margin < 0:
                raise ValidationError(
                    _(
                        "%(company)s: the margin before a new estimate is announced "
                        "cannot be negative; set 0 to announce every change of day.",
                        company=company.name,
                    )
                )

    @api.constrains("dist_unbilled_delay", "dist_billing_retry_limit", "dist_late_delivery_grace")
    def _check_dist_billing_numbers(self):
        for company in self:
            if company.dist_unbilled_delay < 0:
                raise ValidationError(
                    _(
                        "%(company)s: the unbilled delivery delay cannot be negative; "
                        "set 0 to flag deliveries as soon as they are due.",
                        company=company.name,
                    )
                )
            if company.dist_late_delivery_grace < 0:
                raise ValidationError(
                    _(
                        "%(company)s: the late delivery grace cannot be negative; "
                        "set 0 to flag deliveries as soon as their scheduled date is past.",
                        company=company.name,
                    )
                )
            if company.dist_billing_retry_limit < 1:
                raise ValidationError(
                    _(
                        "%(company)s: allow at least one billing attempt.",
                        company=company.name,
                    )
                )
