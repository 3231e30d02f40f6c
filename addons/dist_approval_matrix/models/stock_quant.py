# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockQuant(models.Model):
    """Inventory adjustments: applying a counted quantity passes the matrix."""

    _name = "stock.quant"
    _inherit = ["stock.quant", "dist.approval.mixin"]
    _dist_approval_type = "inventory"
    _dist_approval_watched_fields = frozenset({"inventory_quantity"})

    # ------------------------------------------------------------------
    # Facts
    # ------------------------------------------------------------------
    def _dist_approval_facts(self, needed):
        facts = {}
        for quant in self:
            values = {}
            if "warehouse" in needed:
                values["warehouse"] = quant.location_id.warehouse_id.id
            if "product_categories" in needed:
                values["product_categories"] = self.env["dist.approval.facts"]._dist_ancestor_ids(
                    quant.product_id.categ_id
                )
            if "adjustment" in needed:
                cost = quant.product_id.with_company(quant.company_id).standard_price
                difference = quant.inventory_quantity - quant.quantity
                values["adjustment"] = {
                    "quantity": difference,
                    "counted": quant.inventory_quantity,
                    "value": quant.company_id.currency_id.round(abs(difference * cost)),
                }
            facts[quant.id] = values
        return facts

    def _dist_approval_sign(self, facts):
        # The on-hand quantity moves with every operation: sign what was
        # counted, not the difference.
        facts = dict(facts)
        if "adjustment" in facts:
            facts["adjustment"] = facts["adjustment"]["counted"]
        return super()._dist_approval_sign(facts)

    def _dist_approval_responsible_users(self):
        return self.user_id

    def _dist_approval_is_open(self):
        return self.inventory_quantity_set

    def _dist_approval_complete(self):
        self._apply_inventory()
        self.inventory_quantity_set = False
        return True

    def _dist_approval_live_facts(self):
        self.ensure_one()
        quant = self.sudo()
        money = quant._dist_money
        cost = quant.product_id.with_company(quant.company_id).standard_price
        difference = quant.inventory_quantity - quant.quantity
        return [
            (self.env._("Product"), quant.product_id.display_name),
            (self.env._("Location"), quant.location_id.display_name),
            (self.env._("On hand now"), quant.quantity),
            (self.env._("Counted"), quant.inventory_quantity),
            (self.env._("Difference"), f"{difference:+.4g}"),
            (self.env._("Value of the difference"), money(abs(difference * cost))),
        ]

    # ------------------------------------------------------------------
    # Gates
    # ------------------------------------------------------------------
    def action_apply_inventory(self, date=None):
        if self._dist_gate_passed():
            return super().action_apply_inventory(date=date)
        active = self._dist_matrix_active()
        if not active:
            return super().action_apply_inventory(date=date)
        return self._dist_run_gated(
            active,
            lambda quants: super(StockQuant, quants).action_apply_inventory(date=date),  # noqa: UP008
        )

    def _apply_inventory(self, date=None):
        if not self._dist_gate_passed():
            self._dist_matrix_active()._dist_approval_gate(raise_if_blocked=True)
        return super()._apply_inventory(date=date)
