# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class AccountMoveLine(models.Model):
    _name = "account.move.line"
    _inherit = ["account.move.line", "dist.protected.mixin"]

    dist_stock_move_id = fields.Many2one(
        "stock.move",
        string="Delivered By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The delivery (or return) move whose quantity this line bills.",
    )

    def _dist_protected_field_names(self):
        return super()._dist_protected_field_names() | {"dist_stock_move_id"}

    def unlink(self):
        pickings = self.dist_stock_move_id.picking_id
        res = super().unlink()
        if pickings:
            self.env["dist.billing"]._dist_reopen(pickings)
        return res
