# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

WATCHED_FIELDS = {"product_id", "quantity", "price_unit", "discount", "product_uom_id"}


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def write(self, vals):
        res = super().write(vals)
        if WATCHED_FIELDS & set(vals):
            self.move_id._dist_approval_recheck()
        return res
