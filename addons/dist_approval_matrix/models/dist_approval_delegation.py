# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class DistApprovalDelegation(models.Model):
    """An approver's stand-in for a date range (holidays, travel)."""

    _name = "dist.approval.delegation"
    _description = "Approval Delegation"
    _order = "date_from desc, id desc"

    user_id = fields.Many2one(
        "res.users",
        "Approver",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    delegate_id = fields.Many2one(
        "res.users", required=True, index=True, domain=[("share", "=", False)]
    )
    date_from = fields.Date("From", required=True, default=fields.Date.context_today)
    date_to = fields.Date("To", required=True)
    active = fields.Boolean(default=True)
    note = fields.Char()
    is_manager = fields.Boolean(compute="_compute_is_manager")

    @api.depends_context("uid")
    def _compute_is_manager(self):
        is_manager = self.env.user.has_group("dist_approval_matrix.group_dist_manager")
        for delegation in self:
            delegation.is_manager = is_manager

    @api.constrains("user_id", "delegate_id", "date_from", "date_to", "active")
    def _check_delegation(self):
        for delegation in self:
            if delegation.user_id == delegation.delegate_id:
                raise ValidationError(self.env._("An approver cannot delegate to themselves."))
            if delegation.date_to < delegation.date_from:
                raise ValidationError(
                    self.env._(
                        "The delegation of %(user)s ends (%(to)s) before it starts (%(from)s).",
                        user=delegation.user_id.name,
                        to=delegation.date_to,
                        **{"from": delegation.date_from},
                    )
                )
            overlap = self.search_count(
                [
                    ("id", "!=", delegation.id),
                    ("user_id", "=", delegation.user_id.id),
                    ("date_from", "<=", delegation.date_to),
                    ("date_to", ">=", delegation.date_from),
                ]
            )
            if overlap:
                raise ValidationError(
                    self.env._(
                        "%(user)s already delegates during part of this period; change "
                        "the dates of the other delegation first.",
                        user=delegation.user_id.name,
                    )
                )

    @api.model
    def _dist_active_domain(self):
        today = fields.Date.context_today(self)
        return Domain("date_from", "<=", today) & Domain("date_to", ">=", today)

    @api.model
    def _dist_delegators(self, delegate):
        """Users whom ``delegate`` stands in for today."""
        delegations = self.sudo().search(
            self._dist_active_domain() & Domain("delegate_id", "=", delegate.id)
        )
        return delegations.user_id

    @api.model
    def _dist_delegates_of(self, users):
        """Today's stand-ins of these users."""
        if not users:
            return self.env["res.users"]
        delegations = self.sudo().search(
            self._dist_active_domain() & Domain("user_id", "in", users.ids)
        )
        return delegations.delegate_id
