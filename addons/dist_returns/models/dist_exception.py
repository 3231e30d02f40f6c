# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError

# Links the suite records on an exception: people do not change them.
LINK_FIELDS = frozenset({"dist_ticket_id", "dist_return_id"})


class DistException(models.Model):
    """Returns in the exception queue: unresolved returns, and the Helpdesk
    ticket of each delivery issue."""

    _inherit = "dist.exception"

    exception_type = fields.Selection(
        selection_add=[("unresolved_return", "Unresolved Return")],
        ondelete={"unresolved_return": "cascade"},
    )
    dist_return_id = fields.Many2one("dist.return", "Return", readonly=True, index="btree_not_null")
    dist_ticket_id = fields.Many2one(
        "helpdesk.ticket", "Ticket", readonly=True, index="btree_not_null"
    )

    @api.model_create_multi
    def create(self, vals_list):
        exceptions = super().create(vals_list)
        issues = exceptions.filtered(
            lambda e: e.exception_type == "delivery_issue" and not e.dist_ticket_id
        )
        if issues:
            issues._dist_open_tickets()
        return exceptions

    def write(self, vals):
        if LINK_FIELDS & set(vals) and not self.env.su:
            raise AccessError(
                self.env._("The ticket and the return of an exception are linked by the system.")
            )
        return super().write(vals)

    def _dist_open_tickets(self):
        """One Helpdesk ticket per delivery issue, on the company's delivery issue
        team; nothing when the company has none."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        for exception in self.sudo():
            team = exception.company_id.dist_delivery_issue_team_id
            if not team:
                continue
            picking = exception.picking_id
            order = exception.sale_order_id
            description = Markup("<p>%s</p><ul>%s%s</ul>") % (
                escape(exception.description or exception.name),
                Markup("<li>%s</li>") % self.env._("Order: %s", order.name) if order else "",
                Markup("<li>%s</li>") % self.env._("Delivery: %s", picking.name) if picking else "",
            )
            ticket = Ticket.create(
                {
                    "name": exception.name,
                    "description": description,
                    "partner_id": exception.partner_id.id,
                    "company_id": exception.company_id.id,
                    "team_id": team.id,
                    "user_id": False,
                    "priority": "2",
                    "dist_sale_order_ids": [fields.Command.set(order.ids)],
                    "dist_picking_ids": [fields.Command.set(picking.ids)],
                }
            )
            exception.write({"dist_ticket_id": ticket.id})
            exception.message_post(
                body=self.env._("Ticket %s opened for the customer.", ticket._get_html_link()),
                subtype_xmlid="mail.mt_note",
            )

    def action_dist_open_ticket(self):
        self.ensure_one()
        return self.dist_ticket_id._get_records_action()
