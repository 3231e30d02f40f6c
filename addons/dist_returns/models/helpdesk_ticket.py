# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    """A ticket knows the orders, deliveries, returns and credit notes it is about."""

    _inherit = "helpdesk.ticket"

    dist_sale_order_ids = fields.Many2many(
        "sale.order",
        "helpdesk_ticket_dist_sale_order_rel",
        "ticket_id",
        "order_id",
        string="Orders",
        check_company=True,
    )
    dist_picking_ids = fields.Many2many(
        "stock.picking",
        "helpdesk_ticket_dist_picking_rel",
        "ticket_id",
        "picking_id",
        string="Deliveries",
        check_company=True,
    )
    dist_return_ids = fields.One2many("dist.return", "ticket_id", "Returns", readonly=True)
    dist_exception_ids = fields.One2many(
        "dist.exception", "dist_ticket_id", "Delivery Issues", readonly=True
    )
    dist_order_count = fields.Integer("Order Count", compute="_compute_dist_links")
    dist_picking_count = fields.Integer("Transfer Count", compute="_compute_dist_links")
    dist_return_count = fields.Integer("Return Count", compute="_compute_dist_links")
    dist_credit_note_count = fields.Integer("Credit Note Count", compute="_compute_dist_links")
    dist_return_attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Return Attachments",
        compute="_compute_dist_links",
        help="Photos and documents attached to the ticket's returns.",
    )

    @api.depends(
        "dist_sale_order_ids",
        "dist_picking_ids",
        "dist_return_ids.state",
        "dist_return_ids.return_picking_ids",
    )
    def _compute_dist_links(self):
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "dist.return"),
                    ("res_id", "in", self.sudo().dist_return_ids.ids),
                ]
            )
        )
        for ticket in self:
            returns = ticket.sudo().dist_return_ids
            ticket.dist_order_count = len(ticket._dist_orders())
            ticket.dist_picking_count = len(ticket._dist_pickings())
            ticket.dist_return_count = len(returns)
            ticket.dist_credit_note_count = len(returns.credit_note_ids)
            ticket.dist_return_attachment_ids = attachments.filtered(
                lambda a, ids=returns.ids: a.res_id in ids
            )

    def _dist_orders(self):
        self.ensure_one()
        return (self.dist_sale_order_ids | self.dist_return_ids.sale_order_id).sudo()

    def _dist_pickings(self):
        self.ensure_one()
        returns = self.sudo().dist_return_ids
        return (
            self.sudo().dist_picking_ids
            | self._dist_orders().picking_ids
            | returns.picking_id
            | returns.return_picking_ids
            | returns.replacement_picking_ids
            | returns.operation_picking_ids
        )

    def write(self, vals):
        res = super().write(vals)
        if vals.get("stage_id"):
            solved = self.filtered("closed")
            if solved:
                solved._dist_resolve_issues()
        return res

    def _dist_resolve_issues(self):
        """Solving the ticket resolves the delivery issues it was opened for."""
        for ticket in self.sudo():
            ticket.dist_exception_ids._dist_close(
                "resolved", self.env._("Solved in ticket %s.", ticket.display_name)
            )

    def _dist_return_done(self, record):
        """A return of the ticket is done: the ticket moves to its team's stage."""
        stage = self.team_id.dist_return_done_stage_id
        tickets = self.filtered(lambda t: stage and t.stage_id != stage and not t.closed)
        if tickets:
            tickets.write({"stage_id": stage.id})
            tickets.message_post(
                body=self.env._("%(rma)s is done.", rma=record.name), subtype_xmlid="mail.mt_note"
            )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_dist_create_return(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Create a Return"),
            "res_model": "dist.return.create",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_dist_view_orders(self):
        self.ensure_one()
        return self._dist_orders().with_env(self.env)._get_records_action(name=self.env._("Orders"))

    def action_dist_view_pickings(self):
        self.ensure_one()
        return (
            self._dist_pickings()
            .with_env(self.env)
            ._get_records_action(name=self.env._("Transfers"))
        )

    def action_dist_view_returns(self):
        self.ensure_one()
        action = self.dist_return_ids._get_records_action(name=self.env._("Returns"))
        action["context"] = {"default_ticket_id": self.id}
        return action

    def action_dist_view_credit_notes(self):
        self.ensure_one()
        notes = self.sudo().dist_return_ids.credit_note_ids.with_env(self.env)
        return notes._get_records_action(name=self.env._("Credit Notes"))
