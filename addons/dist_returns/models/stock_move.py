# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _dist_replacement_return_id(self):
        """The return whose replacement these moves are, when the suite creates them."""
        Picking = self.env["stock.picking"]
        return Picking._dist_is_system() and self.env.context.get("dist_return_replacement_id")

    def _search_picking_for_assignation(self):
        # A replacement is a delivery of its own, never merged into an open one.
        if self._dist_replacement_return_id():
            return self.env["stock.picking"]
        return super()._search_picking_for_assignation()

    def _search_picking_for_assignation_domain(self):
        # Nor does an ordinary move join a transfer of a return.
        return [*super()._search_picking_for_assignation_domain(), ("dist_return_id", "=", False)]

    def _get_new_picking_values(self):
        vals = super()._get_new_picking_values()
        return_id = self._dist_replacement_return_id()
        if return_id:
            vals.update(dist_return_id=return_id, dist_return_role="replacement")
        return vals
