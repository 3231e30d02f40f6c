# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dist_picking_ids = fields.Many2many(
        "stock.picking",
        string="Deliveries",
        compute="_compute_dist_picking_ids",
        help="Deliveries and returns whose quantities this document bills.",
    )
    dist_picking_count = fields.Integer(compute="_compute_dist_picking_ids")

    @api.depends("invoice_line_ids.dist_stock_move_id")
    def _compute_dist_picking_ids(self):
        for move in self:
            move.dist_picking_ids = move.invoice_line_ids.dist_stock_move_id.picking_id
            move.dist_picking_count = len(move.dist_picking_ids)

    def button_cancel(self):
        pickings = self.line_ids.dist_stock_move_id.picking_id
        res = super().button_cancel()
        if pickings:
            self.env["dist.billing"]._dist_reopen(pickings)
        return res

    def action_dist_view_pickings(self):
        self.ensure_one()
        return self.dist_picking_ids.sale_id[:1]._get_action_view_picking(self.dist_picking_ids)
