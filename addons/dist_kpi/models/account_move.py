# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _dist_kpi_stamp_orders(self):
        """Posting, cancelling or resetting a customer invoice changes what
        its sales lines have left to bill."""
        invoices = self.filtered(lambda m: m.move_type in ("out_invoice", "out_refund"))
        if invoices:
            self.env["dist.kpi.fulfilment"]._dist_stamp_later(
                line_ids=invoices.invoice_line_ids.sale_line_ids.ids
            )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._dist_kpi_stamp_orders()
        return posted

    def button_draft(self):
        self._dist_kpi_stamp_orders()
        return super().button_draft()

    def button_cancel(self):
        self._dist_kpi_stamp_orders()
        return super().button_cancel()
