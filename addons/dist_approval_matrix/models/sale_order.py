# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "dist.approval.mixin"]
    _dist_approval_type = "sale"
    _dist_approval_done_state = "sale"
    _dist_approval_lines_field = "order_line"
    _dist_approval_watched_fields = frozenset(
        {"partner_id", "order_line", "currency_id", "pricelist_id", "warehouse_id", "team_id",
         "company_id", "date_order"}
    )  # fmt: skip

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------
    def _dist_approval_facts(self, needed):
        if "overdue" in needed:
            overdue = self.env["dist.approval.facts"]._dist_overdue(
                {o.id: o.partner_id.commercial_partner_id for o in self},
                {o.id: o.company_id for o in self},
            )
        facts = {}
        for order in self:
            partner = order.partner_id.commercial_partner_id
            lines = order.order_line.filtered(lambda line: not line.display_type)
            rate = order.currency_rate or 1.0
            values = self.env["dist.approval.facts"]._dist_document_facts(
                needed,
                order.partner_id,
                lines,
                order.currency_id,
                order.warehouse_id,
                order.team_id,
            )
            if "amount" in needed:
                values["amount"] = order.company_id.currency_id.round(order.amount_untaxed / rate)
            if "margin" in needed:
                values["margin"] = round(order.margin_percent * 100.0, 2)
            if "credit" in needed:
                values["credit"] = self.env["dist.approval.facts"]._dist_credit(
                    partner,
                    order.company_id,
                    order.company_id.currency_id.round(order.amount_total / rate),
                )
            if "overdue" in needed:
                values["overdue"] = overdue[order.id]
            facts[order.id] = values
        return facts

    def _dist_approval_responsible_users(self):
        return self.user_id

    def _dist_approval_is_open(self):
        return self.state in ("draft", "sent")

    def _dist_approval_is_running(self):
        return self.state == "sale"

    def _dist_approval_complete(self):
        return self.action_confirm()

    def _dist_approval_revert(self, reason):
        return True

    def _dist_approval_live_facts(self):
        self.ensure_one()
        order = self.sudo()
        partner = order.partner_id.commercial_partner_id.with_company(order.company_id)
        money = order._dist_money
        overdue = self.env["dist.approval.facts"]._dist_overdue(
            {order.id: partner}, {order.id: order.company_id}
        )
        rows = [
            (
                self.env._("Credit limit"),
                money(partner.credit_limit) if partner.credit_limit else self.env._("none set"),
            ),
            (self.env._("Receivable"), money(partner.credit)),
            (self.env._("Amount to invoice"), money(partner.credit_to_invoice)),
            (
                self.env._("Overdue"),
                self.env["dist.approval.facts"]._dist_overdue_words(
                    overdue[order.id], order.company_id.currency_id
                ),
            ),
            (self.env._("Margin"), f"{order.margin_percent * 100:.1f} %"),
        ]
        for line in order.order_line.filtered(
            lambda line: line.product_id.is_storable and not line.display_type
        ):
            free = line.product_id.with_context(warehouse_id=order.warehouse_id.id).free_qty
            rows.append(
                (
                    line.product_id.display_name,
                    self.env._(
                        "%(ordered)s ordered, %(free)s free in %(warehouse)s",
                        ordered=line.product_uom_qty,
                        free=free,
                        warehouse=order.warehouse_id.name,
                    ),
                )
            )
        return rows

    # ------------------------------------------------------------------
    # Gates
    # ------------------------------------------------------------------
    def action_confirm(self):
        if self._dist_gate_passed() or not self._dist_matrix_active():
            return super().action_confirm()
        for order in self:
            error = order._confirmation_error_message()
            if error:
                raise UserError(error)
        return self._dist_run_gated(self, lambda orders: super(SaleOrder, orders).action_confirm())  # noqa: UP008
