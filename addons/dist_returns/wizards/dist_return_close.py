# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DistReturnClose(models.TransientModel):
    """Stop waiting for the rest of a return: what did not come is closed with a note."""

    _name = "dist.return.close"
    _description = "Close the Receipt of a Return"

    return_id = fields.Many2one("dist.return", required=True, readonly=True)
    note = fields.Text("Why", required=True, help="e.g. 'The customer keeps the last two units.'")

    def action_close(self):
        self.ensure_one()
        return self.return_id._dist_close_receipt(self.note)
