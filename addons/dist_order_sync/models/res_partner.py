# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import namedtuple

from odoo import api, fields, models
from odoo.fields import Domain

from .res_company import BILLING_PERIODS, BILLING_POLICIES

BillingTerms = namedtuple("BillingTerms", "policy period post date_delivery")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # What the customer sets for itself, per company; empty follows the company.
    dist_billing_policy_own = fields.Selection(
        BILLING_POLICIES, company_dependent=True, copy=False, string="Own Billing Policy"
    )
    dist_billing_period_own = fields.Selection(
        BILLING_PERIODS, company_dependent=True, copy=False, string="Own Billing Period"
    )
    # What applies: the customer's own setting or the company default.
    dist_billing_policy = fields.Selection(
        BILLING_POLICIES,
        string="Billing Policy",
        compute="_compute_dist_billing_policy",
        inverse="_inverse_dist_billing_policy",
        search="_search_dist_billing_policy",
        help="Manual: invoices are made from the sales orders (Odoo's standard).\n"
        "Each Delivery: every validated delivery is invoiced at once for exactly "
        "its quantities; returns are credited the same way.\n"
        "Consolidated per Period: delivered, unbilled quantities are invoiced "
        "once per period.\n"
        "Choosing the company default makes the customer follow the company setting.",
    )
    dist_billing_period = fields.Selection(
        BILLING_PERIODS,
        string="Billing Period",
        compute="_compute_dist_billing_policy",
        inverse="_inverse_dist_billing_period",
        search="_search_dist_billing_period",
    )
    dist_invoice_post = fields.Selection(
        [("post", "Post Automatically"), ("draft", "Leave in Draft")],
        string="Automatic Invoices",
        company_dependent=True,
        copy=False,
        help="Empty: the company setting applies.",
    )
    dist_invoice_date = fields.Selection(
        [("delivery", "Delivery Date"), ("billing", "Billing Date")],
        string="Invoice Date",
        company_dependent=True,
        copy=False,
        help="Empty: the company setting applies.",
    )
    dist_order_notify = fields.Selection(
        [("notify", "Send Order Updates"), ("silent", "No Order Updates")],
        string="Order Updates",
        company_dependent=True,
        copy=False,
        help="E-mails when an order will miss its promise, is partially shipped and is "
        "shipped. Empty: the company setting applies.",
    )

    @api.depends_context("company")
    @api.depends("dist_billing_policy_own", "dist_billing_period_own")
    def _compute_dist_billing_policy(self):
        company = self.env.company
        for partner in self:
            partner.dist_billing_policy = (
                partner.dist_billing_policy_own or company.dist_billing_policy
            )
            partner.dist_billing_period = (
                partner.dist_billing_period_own or company.dist_billing_period
            )

    def _inverse_dist_billing_policy(self):
        default = self.env.company.dist_billing_policy
        for partner in self:
            value = partner.dist_billing_policy
            partner.dist_billing_policy_own = value if value != default else False

    def _inverse_dist_billing_period(self):
        default = self.env.company.dist_billing_period
        for partner in self:
            value = partner.dist_billing_period
            partner.dist_billing_period_own = value if value != default else False

    def _dist_search_own(self, own_field, default, operator, value):
        if operator != "in":
            return NotImplemented
        domain = Domain(own_field, "in", [v for v in value if v])
        if default in value:
            domain |= Domain(own_field, "=", False)
        return domain

    def _search_dist_billing_policy(self, operator, value):
        return self._dist_search_own(
            "dist_billing_policy_own", self.env.company.dist_billing_policy, operator, value
        )

    def _search_dist_billing_period(self, operator, value):
        return self._dist_search_own(
            "dist_billing_period_own", self.env.company.dist_billing_period, operator, value
        )

    @api.model
    def _commercial_fields(self):
        return [
            *super()._commercial_fields(),
            "dist_billing_policy_own",
            "dist_billing_period_own",
            "dist_invoice_post",
            "dist_invoice_date",
            "dist_order_notify",
        ]

    def _dist_wants_order_updates(self):
        """Whether this customer's commercial entity gets order updates from
        the current company."""
        self.ensure_one()
        own = self.commercial_partner_id.dist_order_notify
        return own == "notify" if own else self.env.company.dist_order_notify

    def _dist_billing_terms(self):
        """Billing terms of this customer's commercial entity in the current company."""
        self.ensure_one()
        partner = self.commercial_partner_id
        company = self.env.company
        post = partner.dist_invoice_post
        date = partner.dist_invoice_date
        return BillingTerms(
            policy=partner.dist_billing_policy,
            period=partner.dist_billing_period,
            post=post == "post" if post else company.dist_invoice_auto_post,
            date_delivery=date == "delivery" if date else company.dist_invoice_date_delivery,
        )
