# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    dist_return_unresolved_days = fields.Integer(
        "Unresolved Return After (days)",
        default=14,
        help="A return still not done this many days after its authorization raises an "
        "'Unresolved Return' exception; 0 turns the check off.",
    )
    dist_return_notify_customer = fields.Boolean(
        "E-mail Customers About Returns",
        default=True,
        help="E-mail the customer at authorization (RMA number and how to send the goods) "
        "and at resolution, with the editable templates 'Return: Authorized' and "
        "'Return: Resolved'.",
    )
    dist_delivery_issue_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        "Delivery Issue Team",
        check_company=True,
        help="Each reported delivery issue opens a ticket for the customer on this team; "
        "solving the ticket resolves the issue. Empty: no ticket.",
    )

    @api.constrains("dist_return_unresolved_days")
    def _check_dist_return_unresolved_days(self):
        for company in self:
            if company.dist_return_unresolved_days < 0:
                raise ValidationError(
                    self.env._(
                        "%(company)s: the unresolved return delay cannot be negative; set "
                        "0 to turn the check off.",
                        company=company.name,
                    )
                )
