# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    """Purchase orders: the matrix replaces Odoo's two-step validation.

    Where the company has purchase rules, an order the matrix holds waits in
    Odoo's own "To Approve" state and only the matrix can approve it.
    """

    _name = "purchase.order"
    _inherit = ["purchase.order", "dist.approval.mixin"]
    _dist_approval_type = "purchase"
    _dist_approval_done_state = "purchase"
    _dist_approval_lines_field = "order_line"
    _dist_approval_watched_fields = frozenset(
        {"partner_id", "order_line", "currency_id", "picking_type_id", "company_id"}
    )

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------
    def _dist_approval_facts(self, needed):
        facts = {}
        for order in self:
            lines = order.order_line.filtered(lambda line: not line.display_type)
            values = self.env["dist.approval.facts"]._dist_document_facts(
                needed, order.partner_id, lines, order.currency_id,
                order.picking_type_id.warehouse_id,
            )  # fmt: skip
            if "amount" in needed:
                values["amount"] = order.company_id.currency_id.round(
                    order.amount_untaxed / (order.currency_rate or 1.0)
                )
            facts[order.id] = values
        return facts

    def _dist_approval_responsible_users(self):
        return self.user_id

    def _dist_approval_is_open(self):
        return self.state in ("draft", "sent", "to approve")

    def _dist_approval_is_running(self):
        return self.state == "purchase"

    def _dist_approval_complete(self):
        if self.state in ("draft", "sent"):
            return self.button_confirm()
        return self.button_approve()

    def _dist_approval_revert(self, reason):
        if self.state == "to approve":
            self.write({"state": "draft"})
        return True

    def _dist_approval_live_facts(self):
        self.ensure_one()
        order = self.sudo()
        money = order._dist_money
        rows = [
            (
                self.env._("Untaxed amount (company currency)"),
                money(order.amount_untaxed / (order.currency_rate or 1.0)),
            ),
            (self.env._("Vendor"), order.partner_id.display_name),
        ]
        warehouse = order.picking_type_id.warehouse_id
        for line in order.order_line.filtered(lambda line: line.product_id.is_storable):
            product = line.product_id.with_context(warehouse_id=warehouse.id)
            rows.append(
                (
                    product.display_name,
                    self.env._(
                        "%(ordered)s ordered, %(on_hand)s on hand, %(forecast)s forecast",
                        ordered=line.product_qty,
                        on_hand=product.qty_available,
                        forecast=product.virtual_available,
                    ),
                )
            )
        return rows

    # ------------------------------------------------------------------
    # Gates
    # ------------------------------------------------------------------
    def _approval_allowed(self):
        if self._dist_matrix_active():
            return self._dist_gate_passed()
        return super()._approval_allowed()

    def button_confirm(self):
        if self._dist_gate_passed():
            return super().button_confirm()
        active = self._dist_matrix_active().filtered(lambda o: o.state in ("draft", "sent"))
        if not active:
            return super().button_confirm()
        held = active - active._dist_approval_gate()
        # Core confirms the others; the held ones fail _approval_allowed and
        # wait in its own "To Approve" state.
        super(PurchaseOrder, self._dist_with_gate(passed=self - held)).button_confirm()
        return self._dist_held_notification(held) if held else True

    def button_approve(self, force=False):
        if self._dist_gate_passed():
            return super().button_approve(force=force)
        active = self._dist_matrix_active()
        if not active:
            return super().button_approve(force=force)
        pending = active.filtered(lambda o: o.approval_state == "pending")
        if pending:
            raise UserError(
                self.env._(
                    "%(orders)s wait for the approval matrix: the approvers decide "
                    "from Distribution > Approvals.",
                    orders=", ".join(pending.mapped("display_name")),
                )
            )
        return self._dist_run_gated(
            active,
            lambda orders: super(PurchaseOrder, orders).button_approve(force=force),  # noqa: UP008
        )
