# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    dist_invoice_line_ids = fields.One2many(
        "account.move.line",
        "dist_stock_move_id",
        string="Billed By",
        readonly=True,
        copy=False,
    )
