# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError

from ..models.dist_exception import ISSUE_REASONS


class DistDeliveryIssue(models.TransientModel):
    """A warehouse user reports what went wrong with a delivery."""

    _name = "dist.delivery.issue"
    _description = "Report a Delivery Issue"

    picking_id = fields.Many2one("stock.picking", required=True, readonly=True)
    reason = fields.Selection(ISSUE_REASONS, required=True)
    note = fields.Text("Details", help="What happened, and what the customer said.")

    def action_report(self):
        self.ensure_one()
        picking = self.picking_id
        if picking.picking_type_code != "outgoing":
            raise UserError(
                self.env._(
                    "%(transfer)s is not a delivery: report issues on the delivery "
                    "to the customer.",
                    transfer=picking.display_name,
                )
            )
        reason = dict(self._fields["reason"]._description_selection(self.env))[self.reason]
        description = f"{reason}: {self.note}" if self.note else reason
        links = {
            **picking._dist_exception_links(),
            "issue_reason": self.reason,
            "description": description,
            "owner_hint": picking.sale_id.user_id.id or picking.user_id.id,
        }
        exception = self.env["dist.exception"]._dist_report("delivery_issue", [links])
        if not exception:
            exception = self.env["dist.exception"].search(
                [
                    ("exception_type", "=", "delivery_issue"),
                    ("picking_id", "=", picking.id),
                    ("state", "in", ("open", "in_progress")),
                ],
                limit=1,
            )
            exception.sudo().write({"issue_reason": self.reason})
        exception.sudo().message_post(
            body=description, author_id=self.env.user.partner_id.id, message_type="comment"
        )
        return True
