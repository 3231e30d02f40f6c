# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import fields, models


class DistKpiBackfill(models.TransientModel):
    _name = "dist.kpi.backfill"
    _description = "Backfill KPI Snapshots"

    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=12),
    )
    date_to = fields.Date(
        "To",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(days=1),
    )
    rebuild_facts = fields.Boolean(
        "Rebuild Fulfilment Facts First",
        help="Stamp the fulfilment facts of every delivered order again (after an "
        "import, or a change of the data they come from).",
    )

    def action_backfill(self):
        self.ensure_one()
        if self.rebuild_facts:
            self.env["dist.kpi.fulfilment"].sudo()._dist_backfill()
        self.env["dist.kpi.value"]._dist_request_backfill(self.date_from, self.date_to)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Snapshots from %(start)s to %(end)s are being taken in the background.",
                    start=self.date_from,
                    end=self.date_to,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
