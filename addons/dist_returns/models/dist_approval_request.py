# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import models


class DistApprovalRequest(models.Model):
    _inherit = "dist.approval.request"

    def _dist_render_facts(self, facts):
        html = super()._dist_render_facts(facts)
        rows = []
        if "delivery_age" in facts:
            rows.append((self.env._("Delivered"), self.env._("%s days ago", facts["delivery_age"])))
        if facts.get("return_reasons"):
            reasons = self.env["dist.return.reason"].sudo().browse(facts["return_reasons"])
            rows.append((self.env._("Return reasons"), ", ".join(reasons.mapped("name"))))
        if not rows:
            return html
        return (html or Markup()) + self._dist_render_rows(rows)
