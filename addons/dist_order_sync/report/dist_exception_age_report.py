# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.tools import SQL

AGE_BUCKETS = [
    ("1", "Under 1 day"),
    ("3", "1 to 3 days"),
    ("7", "3 to 7 days"),
    ("older", "Over 7 days"),
]


class DistExceptionAgeReport(models.Model):
    """Open exceptions by how long they have waited.

    A view computed when it is read: the age is measured against the time of
    the query, so a group "3 to 7 days" is always right without any cron
    rewriting a stored age.
    """

    _name = "dist.exception.age.report"
    _description = "Exceptions by Age"
    _auto = False
    _order = "age_days desc, id"
    _rec_name = "name"

    exception_id = fields.Many2one("dist.exception", readonly=True)
    name = fields.Char(readonly=True)
    exception_type = fields.Selection(selection="_selection_exception_type", readonly=True)
    severity = fields.Selection(selection="_selection_severity", readonly=True)
    state = fields.Selection(selection="_selection_state", readonly=True)
    user_id = fields.Many2one("res.users", "Owner", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    detected_on = fields.Datetime(readonly=True)
    age_days = fields.Float("Age (days)", readonly=True, aggregator="avg", digits=(16, 1))
    age_bucket = fields.Selection(AGE_BUCKETS, "Age", readonly=True)

    @api.model
    def _selection_exception_type(self):
        return self.env["dist.exception"]._fields["exception_type"].selection

    @api.model
    def _selection_severity(self):
        return self.env["dist.exception"]._fields["severity"].selection

    @api.model
    def _selection_state(self):
        return self.env["dist.exception"]._fields["state"].selection

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """CREATE VIEW %s AS (
                    SELECT e.id, e.id AS exception_id, e.name, e.exception_type, e.severity,
                           e.state, e.user_id, e.partner_id, e.company_id, e.detected_on,
                           age.days AS age_days,
                           CASE WHEN age.days < 1 THEN '1'
                                WHEN age.days < 3 THEN '3'
                                WHEN age.days < 7 THEN '7'
                                ELSE 'older' END AS age_bucket
                      FROM dist_exception e,
                           LATERAL (SELECT EXTRACT(EPOCH FROM (NOW() AT TIME ZONE 'UTC')
                                                   - e.detected_on) / 86400.0 AS days) age
                     WHERE e.state IN ('open', 'in_progress')
                )""",
                SQL.identifier(self._table),
            )
        )

    def action_open_exception(self):
        self.ensure_one()
        return self.exception_id.get_formview_action()
