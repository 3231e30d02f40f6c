# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class DistExceptionScanner(models.AbstractModel):
    _inherit = "dist.exception.scanner"

    @api.model
    def _dist_detectors(self):
        return {
            **super()._dist_detectors(),
            "unresolved_return": self._dist_detect_unresolved_return,
        }

    @api.model
    def _dist_detect_unresolved_return(self, scan):
        """Returns not done the company's number of days after their authorization."""
        rows = self.env.execute_query_dict(
            SQL(
                """SELECT r.id, r.name, r.sale_order_id AS order_id, r.company_id, r.state,
                          r.date_approved, COALESCE(r.user_id, so.user_id) AS owner_hint,
                          partner.commercial_partner_id AS partner_id,
                          c.dist_return_unresolved_days AS days
                     FROM dist_return r
                     JOIN res_company c ON c.id = r.company_id
                     JOIN res_partner partner ON partner.id = r.partner_id
                LEFT JOIN sale_order so ON so.id = r.sale_order_id
                    WHERE r.state IN ('approved', 'received')
                      AND c.dist_return_unresolved_days > 0
                      AND r.date_approved + make_interval(days => c.dist_return_unresolved_days)
                          <= %s""",
                scan["now"],
            )
        )
        states = dict(self.env["dist.return"]._fields["state"]._description_selection(self.env))
        found = {}
        for row in rows:
            found["dist.return", row["id"]] = self._dist_row_vals(
                "dist.return",
                row["id"],
                row["name"],
                row,
                self.env._(
                    "Authorized on %(date)s and still %(state)s %(days)s days later.",
                    date=fields.Datetime.to_string(row["date_approved"]),
                    state=states[row["state"]].lower(),
                    days=(scan["now"] - row["date_approved"]).days,
                ),
                dist_return_id=row["id"],
            )
        return found
