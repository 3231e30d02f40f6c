# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools.misc import formatLang


class AccountMove(models.Model):
    _inherit = "account.move"

    dist_return_ids = fields.Many2many(
        "dist.return",
        string="Return Authorizations",
        compute="_compute_dist_return_ids",
        help="Returns whose accepted quantities this credit note credits.",
    )
    dist_return_count = fields.Integer(compute="_compute_dist_return_ids")

    @api.depends("invoice_line_ids.dist_stock_move_id")
    def _compute_dist_return_ids(self):
        for move in self:
            pickings = move.sudo().invoice_line_ids.dist_stock_move_id.picking_id
            returns = pickings.filtered(lambda p: p.dist_return_role == "receipt").dist_return_id
            move.dist_return_ids = returns.ids
            move.dist_return_count = len(returns)

    def _dist_amount_text(self):
        """Amount and status, as a line of text."""
        self.ensure_one()
        state = dict(self._fields["state"]._description_selection(self.env))[self.state]
        amount = formatLang(self.env, self.amount_total, currency_obj=self.currency_id)
        return f"{amount}, {state}"

    def action_dist_view_returns(self):
        self.ensure_one()
        return self.dist_return_ids._get_records_action(name=self.env._("Returns"))
