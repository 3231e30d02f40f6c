# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import date, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..catalog import without_jit
from .dist_kpi import DashboardContext

_logger = logging.getLogger(__name__)

# Days the daily cron catches up when it did not run.
CATCH_UP_DAYS = 31
# Parameters of a pending backfill (ISO dates): the next day to snapshot, the last.
BACKFILL_NEXT = "dist_kpi.backfill_next"
BACKFILL_LAST = "dist_kpi.backfill_last"


class DistKpiValue(models.Model):
    """A daily snapshot of a KPI, per company, and per warehouse and per
    sales team where the KPI has these dimensions (both empty: the company's
    total). ``weight`` is what the value averages over (the denominator of a
    rate, the records of an average): snapshots of several companies or days
    combine weighted by it."""

    _name = "dist.kpi.value"
    _description = "KPI Snapshot"
    _order = "date desc, kpi_id, company_id, id"

    kpi_id = fields.Many2one("dist.kpi", "KPI", required=True, readonly=True, ondelete="cascade")
    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    value = fields.Float(readonly=True, aggregator="avg")
    count = fields.Integer("Records", readonly=True)
    weight = fields.Float(readonly=True)
    unit = fields.Selection(related="kpi_id.unit")

    _day_uniq = models.UniqueIndex(
        "(kpi_id, date, company_id, COALESCE(warehouse_id, 0), COALESCE(team_id, 0))",
        "A KPI has one snapshot per day, company and dimension.",
    )

    # ------------------------------------------------------------------
    # Trend of the dashboard
    # ------------------------------------------------------------------
    @api.model
    def _dist_trend_sql(self, ctx, kpi_ids, trend_from, amount_kpi_ids=()):
        """Snapshots of ``kpi_ids`` from ``trend_from`` to the end of the
        period (and the last day of the comparison period), summed per KPI
        and day over the companies and the dimension filtered on; the
        amounts (``amount_kpi_ids``) in the current company's currency."""
        factor = self.env["dist.kpi"]._dist_currency_factor(ctx, SQL("v.company_id"))
        if ctx.category_ids or (ctx.warehouse_ids and ctx.team_ids):
            dimension = SQL("FALSE")
        elif ctx.warehouse_ids:
            dimension = SQL("v.warehouse_id = ANY(%s) AND v.team_id IS NULL", ctx.warehouse_ids)
        elif ctx.team_ids:
            dimension = SQL("v.team_id = ANY(%s) AND v.warehouse_id IS NULL", ctx.team_ids)
        else:
            dimension = SQL("v.warehouse_id IS NULL AND v.team_id IS NULL")
        days = SQL("v.date BETWEEN %s AND %s", trend_from, ctx.date_to)
        if ctx.previous_dates:
            days = SQL("(%s OR v.date = %s)", days, ctx.previous_dates[1])
        return SQL(
            """SELECT v.kpi_id, v.date, SUM(v.value * v.weight) AS weighted,
                      SUM(v.weight) AS weight,
                      SUM(v.value * CASE WHEN v.kpi_id = ANY(%s) THEN %s ELSE 1 END) AS total
                 FROM dist_kpi_value v
                WHERE v.kpi_id = ANY(%s) AND v.company_id = ANY(%s) AND %s AND %s
             GROUP BY v.kpi_id, v.date""",
            list(amount_kpi_ids),
            factor,
            kpi_ids,
            ctx.companies.ids,
            days,
            dimension,
        )

    @api.model
    def _dist_trend_points(self, ctx, tiles, rows, trend_from):
        """{"points": {kpi id: [values]}, "snapshot": {(kpi id, date): value}}.

        A day of a rate or an average is the weighted average of its
        snapshots; of a count or an amount, their sum. Over more than two
        months the points are weeks, over more than a year months: a rate
        averages its days (weighted), a flow (overrides, adjustments) sums
        them, a level (open exceptions, unbilled) takes the bucket's last day.
        """
        specs = {kpi.id: spec for kpi, spec in tiles}
        span = (ctx.date_to - trend_from).days + 1
        if span <= 62:
            bucket = lambda day: day  # noqa: E731
        elif span <= 400:
            bucket = lambda day: day - timedelta(days=day.weekday())  # noqa: E731
        else:
            bucket = lambda day: day.replace(day=1)  # noqa: E731
        snapshot = {}
        buckets = defaultdict(lambda: defaultdict(list))
        for row in rows:
            spec = specs.get(row["kpi_id"])
            if spec is None:
                continue
            day = date.fromisoformat(row["date"]) if isinstance(row["date"], str) else row["date"]
            if spec.weighted:
                value = row["weighted"] / row["weight"] if row["weight"] else None
            else:
                value = row["total"]
            snapshot[row["kpi_id"], day] = None if value is None else round(value, 2)
            if trend_from <= day <= ctx.date_to:
                buckets[row["kpi_id"]][bucket(day)].append((day, row, value))
        points = {}
        for kpi_id, by_bucket in buckets.items():
            spec = specs[kpi_id]
            series = []
            for key in sorted(by_bucket):
                entries = sorted(by_bucket[key], key=lambda e: e[0])
                if spec.weighted:
                    weight = sum(e[1]["weight"] or 0 for e in entries)
                    value = sum(e[1]["weighted"] or 0 for e in entries) / weight if weight else None
                elif spec.as_of or spec.live:
                    value = entries[-1][2]
                else:
                    value = sum(e[2] or 0 for e in entries)
                if value is not None:
                    series.append(round(value, 2))
            points[kpi_id] = series
        return {"points": points, "snapshot": snapshot}

    # ------------------------------------------------------------------
    # Snapshots
    # ------------------------------------------------------------------
    @api.model
    def _dist_snapshot(self, company, day, with_live=False):
        """Replace the snapshots of ``company`` on ``day`` (the company's
        timezone) by the KPIs measured on that day: flows over the day,
        levels at its end. ``with_live``: also the KPIs only measurable now
        (the daily run on the day just ended)."""
        Kpi = self.env["dist.kpi"].sudo()
        tz = pytz.timezone(company.partner_id.tz or "UTC")
        ctx = DashboardContext(
            self.env,
            company,
            day,
            day,
            None,
            tz,
            ([], [], []),
            None,
            Kpi.with_context(active_test=False).search([]),
        )
        # Snapshots of archived KPIs too: their history is whole when reactivated.
        tiles = Kpi._dist_tiles(ctx, with_inactive=True, with_live=with_live)
        window = ctx.current
        if with_live:
            window = window._replace(end=max(window.end, ctx.now))
        plan = Kpi._dist_plan([spec for __, spec in tiles], {"day": window})
        self.env.flush_all()
        without_jit(self.env)
        # {(warehouse, team): {code: [value, count, weight]}}
        measured = defaultdict(dict)
        for model, items in plan.items():
            rows = self.env.execute_query_dict(Kpi._dist_measures(model, items, ctx, grouped=True))
            for row in rows:
                key = self._dist_snapshot_key(row)
                if key is None:
                    continue
                for __, spec in tiles:
                    if f"{spec.code}__day__num" in row or f"{spec.code}__day__den" in row:
                        value, __, weight = Kpi._dist_result(spec, row, f"{spec.code}__day")
                        entry = measured[key].setdefault(spec.code, [None, 0, None])
                        entry[0], entry[2] = value, weight
                    if f"{spec.code}__day__count" in row:
                        entry = measured[key].setdefault(spec.code, [None, 0, None])
                        entry[1] = row[f"{spec.code}__day__count"] or 0
        ids = {kpi.code: kpi.id for kpi, __ in tiles}
        values = [
            (ids[code], warehouse, team, value, count, weight)
            for (warehouse, team), by_code in measured.items()
            for code, (value, count, weight) in by_code.items()
            if value is not None
        ]
        self.env.execute_query(
            SQL(
                """DELETE FROM dist_kpi_value
                    WHERE company_id = %s AND date = %s AND kpi_id = ANY(%s)""",
                company.id,
                day,
                list(ids.values()),
            )
        )
        if values:
            now = fields.Datetime.now()
            columns = list(zip(*values, strict=True))
            self.env.execute_query(
                SQL(
                    """INSERT INTO dist_kpi_value (kpi_id, warehouse_id, team_id, value, count,
                                                   weight, date, company_id, create_uid,
                                                   create_date, write_uid, write_date)
                       SELECT k, w, t, v, c, g, %s, %s, %s, %s, %s, %s
                         FROM unnest(%s::int[], %s::int[], %s::int[], %s::float[],
                                     %s::int[], %s::float[]) AS u(k, w, t, v, c, g)""",
                    day,
                    company.id,
                    self.env.uid,
                    now,
                    self.env.uid,
                    now,
                    *[list(column) for column in columns],
                )
            )
        self.invalidate_model()
        return len(values)

    @staticmethod
    def _dist_snapshot_key(row):
        """(warehouse, team) of a grouping-set row; None for records without
        the dimension grouped on."""
        by_warehouse = row.get("by_warehouse_id")
        by_team = row.get("by_team_id")
        if by_warehouse:
            return (row["warehouse_id"], None) if row["warehouse_id"] else None
        if by_team:
            return (None, row["team_id"]) if row["team_id"] else None
        return (None, None)

    @api.model
    def _dist_company_today(self, company):
        tz = pytz.timezone(company.partner_id.tz or "UTC")
        return pytz.utc.localize(fields.Datetime.now()).astimezone(tz).date()

    @api.model
    def _dist_snapshot_todo(self):
        """[(company, day, with_live, backfilled)] still to snapshot: the
        pending backfill, then each company's days since its last snapshot, up
        to yesterday. ``backfilled``: the backfill is done up to that day once
        this snapshot is taken."""
        params = self.env["ir.config_parameter"].sudo()
        companies = self.env["res.company"].sudo().search([])
        todo = []
        backfill_next = params.get_param(BACKFILL_NEXT)
        backfill_last = params.get_param(BACKFILL_LAST)
        if backfill_next and backfill_last:
            day, last = date.fromisoformat(backfill_next), date.fromisoformat(backfill_last)
            while day <= last:
                todo += [
                    (company, day, False, day if company == companies[-1] else None)
                    for company in companies
                ]
                day += timedelta(days=1)
        latest = dict(
            self.env.execute_query(
                SQL("SELECT company_id, MAX(date) FROM dist_kpi_value GROUP BY company_id")
            )
        )
        for company in companies:
            yesterday = self._dist_company_today(company) - timedelta(days=1)
            start = yesterday - timedelta(days=CATCH_UP_DAYS - 1)
            if latest.get(company.id):
                start = max(start, latest[company.id] + timedelta(days=1))
            else:
                start = yesterday
            day = start
            while day <= yesterday:
                todo.append((company, day, day == yesterday, None))
                day += timedelta(days=1)
        return todo

    @api.model
    def _cron_snapshot(self):
        self._dist_run_snapshots(commit=True)

    @api.model
    def _dist_run_snapshots(self, commit=False):
        """Take the snapshots still to take, one company and day at a time;
        with ``commit`` (the cron), committed after each and resumed by the
        next run when the cron runs out of time. A day snapshotted twice is
        replaced, never doubled."""
        progress = self.env["dist.exception.scanner"]._dist_progress(commit)
        params = self.env["ir.config_parameter"].sudo()
        todo = self._dist_snapshot_todo()
        progress(remaining=len(todo))
        for company, day, with_live, backfilled in todo:
            self._dist_snapshot(company, day, with_live)
            if backfilled:
                params.set_param(
                    BACKFILL_NEXT, fields.Date.to_string(backfilled + timedelta(days=1))
                )
            if not progress(1):
                return False
        if params.get_param(BACKFILL_NEXT):
            params.set_param(BACKFILL_NEXT, False)
            params.set_param(BACKFILL_LAST, False)
        return True

    @api.model
    def _dist_request_backfill(self, date_from, date_to):
        """Snapshot every day from ``date_from`` to ``date_to`` again, in the
        background (the snapshot cron, woken now)."""
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The backfill starts on %(start)s, after its end %(end)s: swap the dates.",
                    start=date_from,
                    end=date_to,
                )
            )
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(BACKFILL_NEXT, fields.Date.to_string(date_from))
        params.set_param(BACKFILL_LAST, fields.Date.to_string(date_to))
        self.env.ref("dist_kpi.ir_cron_dist_kpi_snapshot").sudo()._trigger()
        return True
