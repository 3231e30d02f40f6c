# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    # Inventory counts of a period, for the accuracy and adjustment tiles,
    # without reading the year's other moves.
    _dist_kpi_count_idx = models.Index("(date, company_id) WHERE is_inventory IS TRUE")

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        # Shipments, returns and the backorders cancelled with them change the
        # facts of their orders; read from the cache, stamped at commit.
        self.env["dist.kpi.fulfilment"]._dist_stamp_later(line_ids=(self | moves).sale_line_id.ids)
        return moves

    def _action_cancel(self):
        res = super()._action_cancel()
        self.env["dist.kpi.fulfilment"]._dist_stamp_later(line_ids=self.sale_line_id.ids)
        return res
