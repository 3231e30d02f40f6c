# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    dist_return_done_stage_id = fields.Many2one(
        "helpdesk.ticket.stage",
        "Stage When Its Return Is Done",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', id)]",
        help="A ticket of this team moves to this stage when its return is done "
        "(credited or replaced). Empty: the ticket stays where it is.",
    )
