# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DistExceptionDismiss(models.TransientModel):
    _name = "dist.exception.dismiss"
    _description = "Dismiss Exceptions"

    exception_ids = fields.Many2many("dist.exception", string="Exceptions", required=True)
    note = fields.Text(required=True, help="Why these exceptions need no action.")

    def action_dismiss(self):
        self.ensure_one()
        self.exception_ids._dist_close("dismissed", self.note)
        return True
