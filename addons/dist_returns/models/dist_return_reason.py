# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

DISPOSITIONS = [
    ("restock", "Restock"),
    ("scrap", "Scrap"),
    ("vendor", "Return to Vendor"),
]


class DistReturnReason(models.Model):
    """Why goods come back, and what usually happens to them."""

    _name = "dist.return.reason"
    _description = "Return Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the reason is offered in every company."
    )
    description = fields.Text(
        translate=True, help="What service should ask or check when this reason is given."
    )
    default_disposition = fields.Selection(
        DISPOSITIONS,
        required=True,
        default="restock",
        help="What the inspector usually does with accepted goods returned for this reason.",
    )
    requires_evidence = fields.Boolean(
        "Evidence Required",
        help="A return with a line for this reason can only be submitted with an "
        "attachment (a photo, a proof of delivery).",
    )
    evidence_label = fields.Char(
        "Evidence Expected",
        translate=True,
        help="What the attachment should be, as the requester reads it: 'a photo of the damage'.",
    )
    restocking_fee_percent = fields.Float(
        "Restocking Fee (%)",
        help="Share of the credited value kept as a restocking fee on the credit note.",
    )
    scrap_reason_tag_id = fields.Many2one(
        "stock.scrap.reason.tag",
        "Scrap Reason",
        help="Reason recorded on the scraps of goods returned for this reason.",
    )

    @api.constrains("restocking_fee_percent")
    def _check_restocking_fee(self):
        for reason in self:
            if not 0.0 <= reason.restocking_fee_percent <= 100.0:
                raise ValidationError(
                    self.env._(
                        "Return reason “%(reason)s”: the restocking fee must be between 0 and "
                        "100%%, not %(fee)s%%.",
                        reason=reason.name,
                        fee=reason.restocking_fee_percent,
                    )
                )

    def _dist_evidence_text(self):
        self.ensure_one()
        return self.evidence_label or self.env._("a photo or a proof of delivery")
