# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dist_return_ids = fields.One2many("dist.return", "sale_order_id", "Returns", readonly=True)
    dist_return_count = fields.Integer("Return Count", compute="_compute_dist_return_count")

    @api.depends("dist_return_ids")
    def _compute_dist_return_count(self):
        counts = dict(
            self.env["dist.return"]
            .sudo()
            ._read_group([("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"])
        )
        for order in self:
            order.dist_return_count = counts.get(order, 0)

    def action_dist_create_return(self):
        """A draft return of this order, its lines prefilled from the deliveries, opened."""
        self.ensure_one()
        if self.state != "sale":
            raise UserError(
                self.env._(
                    "%(order)s is not confirmed: returns are authorized for what a "
                    "confirmed order delivered.",
                    order=self.name,
                )
            )
        record = self.env["dist.return"]._dist_create_draft(order=self)
        return record._get_records_action(name=self.env._("Return"))

    def action_dist_view_returns(self):
        self.ensure_one()
        return self.dist_return_ids._get_records_action(name=self.env._("Returns"))
