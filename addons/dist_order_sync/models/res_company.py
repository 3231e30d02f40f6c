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
