# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class DistReturnCreate(models.TransientModel):
    """From a ticket: pick the customer's order or delivery; the return opens
    with its lines prefilled."""

    _name = "dist.return.create"
    _description = "Create a Return from a Ticket"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    company_id = fields.Many2one(related="ticket_id.company_id")
    partner_id = fields.Many2one(
        "res.partner", "Customer", compute="_compute_partner_id", store=True, readonly=False
    )
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id")
    source = fields.Selection(
        [("order", "An order"), ("delivery", "A delivery")],
        "Return From",
        required=True,
        default="order",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        "Order",
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id), "
        "('state', '=', 'sale'), ('company_id', '=', company_id)]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        "Delivery",
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id), "
        "('picking_type_code', '=', 'outgoing'), ('state', '=', 'done'), "
        "('sale_id', '!=', False), ('company_id', '=', company_id)]",
    )

    @api.depends("ticket_id")
    def _compute_partner_id(self):
        for wizard in self:
            wizard.partner_id = wizard.ticket_id.partner_id

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ticket = self.env["helpdesk.ticket"].browse(res.get("ticket_id"))
        if ticket.dist_picking_ids[:1] and "picking_id" in fields_list:
            res.update(source="delivery", picking_id=ticket.dist_picking_ids[:1].id)
        elif ticket.dist_sale_order_ids[:1] and "sale_order_id" in fields_list:
            res["sale_order_id"] = ticket.dist_sale_order_ids[:1].id
        return res

    def action_create(self):
        self.ensure_one()
        picking = self.picking_id if self.source == "delivery" else self.env["stock.picking"]
        order = self.sale_order_id if self.source == "order" else picking.sale_id
        if not order:
            raise UserError(
                self.env._("Choose the order or the delivery the customer returns goods from.")
            )
        if not self.ticket_id.partner_id and self.partner_id:
            self.ticket_id.partner_id = self.partner_id
        record = self.env["dist.return"]._dist_create_draft(
            order=order, picking=picking or None, ticket=self.ticket_id
        )
        self.ticket_id.write(
            {
                "dist_sale_order_ids": [fields.Command.link(order.id)],
                "dist_picking_ids": [fields.Command.link(p.id) for p in picking],
            }
        )
        return record._get_records_action(name=self.env._("Return"))
