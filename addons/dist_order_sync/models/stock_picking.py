# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import str2bool

from .res_company import BILLING_POLICIES

BILLING_STATES = [
    ("none", "Not Billed Automatically"),
    ("to_bill", "To Bill"),
    ("billed", "Billed"),
    ("failed", "Failed"),
]
# What billing records on a transfer: only the billing engine writes it.
BILLING_FIELDS = frozenset(
    {
        "dist_billing_policy",
        "dist_billing_state",
        "dist_billing_due",
        "dist_billing_attempts",
        "dist_billing_error",
    }
)


class StockPicking(models.Model):
    """Transfers: their billing state and the hooks into the billing engine
    (``dist.billing``) and the exception queue."""

    _name = "stock.picking"
    _inherit = ["stock.picking", "dist.exception.link.mixin", "dist.protected.mixin"]
    _dist_exception_field = "picking_id"

    dist_billing_policy = fields.Selection(
        BILLING_POLICIES,
        string="Billing Policy",
        readonly=True,
        copy=False,
        help="Billing policy of the customer when the transfer was validated.",
    )
    dist_billing_state = fields.Selection(
        BILLING_STATES,
        string="Billing",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        help="Not Billed Automatically: the customer is billed manually, or the "
        "transfer bills nothing.\nTo Bill: quantities wait for their invoice or "
        "credit note.\nBilled: every quantity is on an invoice or credit note.\n"
        "Failed: automatic billing failed repeatedly; fix the cause (see the "
        "exception) and retry.",
    )
    dist_billing_due = fields.Datetime(
        "Billing Due",
        readonly=True,
        copy=False,
        help="When the transfer is to be billed: at validation for Each "
        "Delivery, at the end of the period for consolidated billing.",
    )
    dist_billing_attempts = fields.Integer("Failed Billing Attempts", readonly=True, copy=False)
    dist_billing_error = fields.Text("Billing Error", readonly=True, copy=False)
    dist_invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_dist_invoice_ids",
        help="Invoices and credit notes billing this transfer's quantities.",
    )
    dist_invoice_count = fields.Integer(compute="_compute_dist_invoice_ids")
    dist_exception_ids = fields.One2many("dist.exception", "picking_id", string="Exception History")

    @api.depends("move_ids.dist_invoice_line_ids")
    def _compute_dist_invoice_ids(self):
        for picking in self:
            picking.dist_invoice_ids = picking.move_ids.dist_invoice_line_ids.move_id
            picking.dist_invoice_count = len(picking.dist_invoice_ids)

    def _dist_protected_field_names(self):
        return super()._dist_protected_field_names() | BILLING_FIELDS

    def _dist_protected_error(self, field_names):
        return UserError(
            self.env._(
                "The billing of a transfer is recorded by Distribution billing only "
                "(%(fields)s): validate the transfer, or use Retry Billing on a failed one.",
                fields=", ".join(
                    self._fields[name]._description_string(self.env) for name in sorted(field_names)
                ),
            )
        )

    def _dist_write_billing(self, vals):
        """Write billing fields: the billing engine's own path."""
        return self._dist_as_system().write(vals)

    # ------------------------------------------------------------------
    # Validation: mark what is to bill, bill what is due
    # ------------------------------------------------------------------
    def _action_done(self):
        res = super()._action_done()
        Billing = self.env["dist.billing"]
        now = Billing._dist_start(self).filtered(lambda p: p.dist_billing_policy == "delivery")
        if now:
            in_request = str2bool(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("dist_order_sync.billing_in_request")
                or "0"
            )
            if in_request:
                # Billing is automation: the warehouse user needs no accounting rights.
                Billing.sudo()._dist_bill(now.sudo())
            else:
                Billing._dist_trigger()
        return res

    def _dist_exception_links(self):
        """The links of an exception raised about this transfer."""
        self.ensure_one()
        order = self.sale_id
        return {
            "res_model": self._name,
            "res_id": self.id,
            "picking_id": self.id,
            "sale_order_id": order.id,
            "partner_id": (order.partner_id or self.partner_id).commercial_partner_id.id,
            "company_id": self.company_id.id,
        }

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_dist_retry_billing(self):
        """Bill now: failed transfers start over, consolidated ones do not wait
        for the end of their period."""
        if not self.env["account.move"].has_access("create"):
            raise AccessError(
                self.env._("Only invoicing users can bill deliveries; ask your accountant.")
            )
        pickings = self.filtered(lambda p: p.dist_billing_state in ("to_bill", "failed"))
        if not pickings:
            raise UserError(self.env._("These transfers have nothing to bill."))
        pickings.filtered(lambda p: p.dist_billing_state == "failed")._dist_write_billing(
            {"dist_billing_state": "to_bill", "dist_billing_attempts": 0}
        )
        self.env["dist.billing"].sudo()._dist_bill(pickings.sudo())
        return True

    def action_dist_view_invoices(self):
        self.ensure_one()
        return self.sale_id.action_view_invoice(invoices=self.dist_invoice_ids)

    def action_dist_report_issue(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Report a Delivery Issue"),
            "res_model": "dist.delivery.issue",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }
