# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

WATCHED_FIELDS = {"partner_id", "invoice_line_ids", "line_ids", "currency_id", "team_id"}


class AccountMove(models.Model):
    """Customer credit notes: posting waits for the matrix when rules apply."""

    _name = "account.move"
    _inherit = ["account.move", "dist.approval.mixin"]
    _dist_approval_type = "refund"

    def _dist_matrix_active(self):
        return super()._dist_matrix_active().filtered(lambda m: m.move_type == "out_refund")

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------
    def _dist_approval_facts(self, needed):
        if "overdue" in needed:
            overdue = self._dist_overdue_facts(
                {m.id: m.commercial_partner_id for m in self}, {m.id: m.company_id for m in self}
            )
        facts = {}
        for move in self:
            partner = move.commercial_partner_id
            lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
            values = {}
            if "partner" in needed:
                values["partner"] = partner.id
            if "currency" in needed:
                values["currency"] = move.currency_id.name
            if "team" in needed:
                values["team"] = move.team_id.id
            if "partner_categories" in needed:
                values["partner_categories"] = self._dist_ancestor_ids(
                    move.partner_id.category_id | partner.category_id
                )
            if "product_categories" in needed:
                values["product_categories"] = self._dist_ancestor_ids(lines.product_id.categ_id)
            if "amount" in needed:
                values["amount"] = abs(move.amount_untaxed_signed)
            if "discount" in needed:
                values["discount"] = max(lines.mapped("discount") or [0.0])
            if "overdue" in needed:
                values["overdue"] = overdue[move.id]
            facts[move.id] = values
        return facts

    def _dist_approval_responsible_users(self):
        return self.invoice_user_id

    def _dist_approval_is_open(self):
        return self.state == "draft"

    def _dist_approval_complete(self):
        return self.action_post()

    def _dist_approval_live_facts(self):
        self.ensure_one()
        move = self.sudo()
        partner = move.commercial_partner_id.with_company(move.company_id)
        money = move._dist_money_formatter()
        overdue = self._dist_overdue_facts({move.id: partner}, {move.id: move.company_id})
        return [
            (self.env._("Credit note (company currency)"), money(abs(move.amount_untaxed_signed))),
            (self.env._("Receivable"), money(partner.credit)),
            (
                self.env._("Overdue"),
                self.env._(
                    "%(amount)s (oldest %(days)s days)",
                    amount=money(overdue[move.id]["amount"]),
                    days=overdue[move.id]["days"],
                ),
            ),
            (self.env._("Origin"), move.invoice_origin or move.ref or "–"),
        ]

    # ------------------------------------------------------------------
    # Gates
    # ------------------------------------------------------------------
    def action_post(self):
        if self._dist_gate_passed():
            return super().action_post()
        refunds = self._dist_matrix_active().filtered(lambda m: m.state == "draft")
        if not refunds:
            return super().action_post()
        allowed = refunds._dist_approval_gate()
        held = refunds - allowed
        result = False
        if self - held:
            result = super(AccountMove, (self - held)._dist_with_gate()).action_post()
        if held:
            return self._dist_held_notification(held)
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dist_check_protected_write(vals)
        moves = super().create(vals_list)
        posted = moves.filtered(lambda m: m.state == "posted")
        if posted and not posted._dist_gate_passed():
            posted._dist_matrix_active()._dist_approval_gate(raise_if_blocked=True)
        return moves

    def write(self, vals):
        self._dist_check_protected_write(vals)
        if vals.get("state") == "posted" and not self._dist_gate_passed():
            self._dist_matrix_active().filtered(lambda m: m.state == "draft")._dist_approval_gate(
                raise_if_blocked=True
            )
        res = super().write(vals)
        if WATCHED_FIELDS & set(vals) and not self._dist_gate_passed():
            self._dist_approval_recheck()
        return res
