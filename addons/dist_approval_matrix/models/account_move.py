# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    """Customer credit notes: posting waits for the matrix when rules apply."""

    _name = "account.move"
    _inherit = ["account.move", "dist.approval.mixin"]
    _dist_approval_type = "refund"
    _dist_approval_done_state = "posted"
    _dist_approval_watched_fields = frozenset(
        {"partner_id", "invoice_line_ids", "line_ids", "currency_id", "team_id"}
    )

    def _dist_matrix_active(self):
        return super()._dist_matrix_active().filtered(lambda m: m.move_type == "out_refund")

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------
    def _dist_approval_facts(self, needed):
        if "overdue" in needed:
            overdue = self.env["dist.approval.facts"]._dist_overdue(
                {m.id: m.commercial_partner_id for m in self}, {m.id: m.company_id for m in self}
            )
        facts = {}
        for move in self:
            lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
            values = self.env["dist.approval.facts"]._dist_document_facts(
                needed, move.partner_id, lines, move.currency_id, team=move.team_id
            )
            if "amount" in needed:
                values["amount"] = abs(move.amount_untaxed_signed)
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
        money = move._dist_money
        overdue = self.env["dist.approval.facts"]._dist_overdue(
            {move.id: partner}, {move.id: move.company_id}
        )
        return [
            (self.env._("Credit note (company currency)"), money(abs(move.amount_untaxed_signed))),
            (self.env._("Receivable"), money(partner.credit)),
            (
                self.env._("Overdue"),
                self.env["dist.approval.facts"]._dist_overdue_words(
                    overdue[move.id], move.company_id.currency_id
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
        return self._dist_run_gated(refunds, lambda moves: super(AccountMove, moves).action_post())  # noqa: UP008
