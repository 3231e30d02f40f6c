# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.query import Query

from ..catalog import (
    COMPANY_FIELD,
    DIMENSIONS,
    KPI_BY_CODE,
    REQUEST,
    ROLES,
    SOURCE_DOMAIN,
    Window,
    without_jit,
)

UNITS = [("percent", "%"), ("hours", "Hours"), ("count", "Count"), ("amount", "Amount")]
DIRECTIONS = [("higher", "Higher is better"), ("lower", "Lower is better")]
COMPARE = ("previous", "last_year")
# The trend covers at least this many days before the end of the period.
TREND_MIN_DAYS = 30
# Lists of records behind a tile, per model, when not the model's default.
DRILL_VIEWS = {
    "dist.kpi.fulfilment": "dist_kpi.dist_kpi_fulfilment_view_list",
    "dist.kpi.order.report": "dist_kpi.dist_kpi_order_report_view_list",
    "dist.kpi.supplier.report": "dist_kpi.dist_kpi_supplier_report_view_list",
    "stock.move": "dist_kpi.stock_move_view_list_dist_kpi",
}


class DashboardContext:
    """The validated filters of one dashboard call: companies, dimensions,
    the period and its comparison as UTC windows."""

    def __init__(self, env, companies, date_from, date_to, compare, tz, dims, role, kpis):
        self.env = env
        self.companies = companies
        self.date_from = date_from
        self.date_to = date_to
        self.compare = compare
        self.tz = tz
        self.warehouse_ids, self.team_ids, self.category_ids = dims
        self.role = role
        self.codes = None
        # Every KPI definition, active or not, read once.
        self.kpis = kpis
        accuracy = kpis.filtered(lambda kpi: kpi.code == "inventory_accuracy")
        self.tolerance = accuracy[:1].tolerance
        self.now = fields.Datetime.now()
        self.current = self.window(date_from, date_to)
        self.previous_dates = None
        if compare == "previous":
            prev_to = date_from - timedelta(days=1)
            self.previous_dates = (prev_to - (date_to - date_from), prev_to)
        elif compare == "last_year":
            self.previous_dates = (
                date_from - relativedelta(years=1),
                date_to - relativedelta(years=1),
            )
        self.previous = self.window(*self.previous_dates) if self.previous_dates else None

    def window(self, date_from, date_to):
        """[date_from 00:00, date_to + 1 day 00:00) in the timezone, as naive UTC."""

        def utc(day):
            local = self.tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return Window(utc(date_from), utc(date_to + timedelta(days=1)), self.now)

    @property
    def has_dimensions(self):
        return bool(self.warehouse_ids or self.team_ids or self.category_ids)


class DistKpi(models.Model):
    """A KPI of the dashboard: its target and warning band.

    What the KPI measures is defined in code (``catalog.py``) for each code;
    these records hold what a manager configures.
    """

    _name = "dist.kpi"
    _description = "Distribution KPI"
    _order = "sequence, id"

    code = fields.Char(required=True, readonly=True, index=True)
    name = fields.Char(required=True, translate=True)
    description = fields.Text("Definition", translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    unit = fields.Selection(UNITS, required=True, readonly=True)
    direction = fields.Selection(
        DIRECTIONS,
        required=True,
        default="higher",
        help="Whether a higher or a lower value is better: decides the colour of the tile.",
    )
    has_target = fields.Boolean(
        "Traffic Light",
        default=True,
        help="Colour the tile green, amber or red against the target and warning level.",
    )
    target = fields.Float(help="Green at or beyond this value.")
    warning_level = fields.Float(
        help="Amber between the target and this value, red beyond it. Equal to the "
        "target: no amber band."
    )
    count_label = fields.Char(
        "Records Label", translate=True, help="What the count of a tile counts, e.g. 'late lines'."
    )
    role_operations = fields.Boolean("Operations")
    role_approvals = fields.Boolean("Approvals")
    role_finance = fields.Boolean("Finance")
    tolerance = fields.Float(
        help="Inventory accuracy: a count is accurate when the value of its difference "
        "(company currency) is within this amount; 0 accepts only exact counts."
    )
    value_ids = fields.One2many("dist.kpi.value", "kpi_id", string="Snapshots", readonly=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "A KPI code is defined once.")

    @api.constrains("code")
    def _check_code(self):
        for kpi in self:
            if kpi.code not in KPI_BY_CODE:
                raise ValidationError(
                    self.env._(
                        "“%(code)s” is not a KPI the dashboard computes; use one of: %(codes)s.",
                        code=kpi.code,
                        codes=", ".join(sorted(KPI_BY_CODE)),
                    )
                )

    @api.constrains("direction", "target", "warning_level", "has_target")
    def _check_warning_level(self):
        for kpi in self.filtered("has_target"):
            higher = kpi.direction == "higher"
            if kpi.warning_level != kpi.target and (kpi.warning_level > kpi.target) == higher:
                message = (
                    self.env._(
                        "%(kpi)s: higher is better, so its warning level (%(warning)s) must "
                        "be at most its target (%(target)s)."
                    )
                    if higher
                    else self.env._(
                        "%(kpi)s: lower is better, so its warning level (%(warning)s) must "
                        "be at least its target (%(target)s)."
                    )
                )
                raise ValidationError(
                    message % {"kpi": kpi.name, "warning": kpi.warning_level, "target": kpi.target}
                )

    def _dist_status(self, value):
        """green / amber / red against the target and warning band; none
        without a value or a target."""
        self.ensure_one()
        if value is None or not self.has_target:
            return "none"
        better = (lambda a, b: a >= b) if self.direction == "higher" else (lambda a, b: a <= b)
        if better(value, self.target):
            return "green"
        if better(value, self.warning_level):
            return "amber"
        return "red"

    # ------------------------------------------------------------------
    # Filters
    # ------------------------------------------------------------------
    @api.model
    def _dist_context(self, filters):
        """Validate the dashboard ``filters`` (see ``get_dashboard``)."""
        # The figures are read as superuser: only Distribution users get them.
        self.browse().check_access("read")
        filters = dict(filters or {})
        today = fields.Date.context_today(self)
        date_to = self._dist_date(filters.get("date_to"), "date_to") or today
        date_from = self._dist_date(filters.get("date_from"), "date_from") or (
            date_to - timedelta(days=TREND_MIN_DAYS - 1)
        )
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The period starts on %(start)s, after its end %(end)s: swap the dates.",
                    start=date_from,
                    end=date_to,
                )
            )
        compare = filters.get("compare") or None
        if compare not in (None, *COMPARE):
            raise UserError(
                self.env._(
                    "Compare with “%(compare)s” is unknown: use “previous” (the period "
                    "before) or “last_year” (the same period a year earlier).",
                    compare=compare,
                )
            )
        role = filters.get("role") or None
        if role not in (None, *ROLES):
            raise UserError(
                self.env._(
                    "Role view “%(role)s” is unknown: use one of %(roles)s.",
                    role=role,
                    roles=", ".join(ROLES),
                )
            )
        companies = self._dist_companies(filters.get("company_ids"))
        dims = tuple(
            self._dist_ids(filters.get(key), key)
            for key in ("warehouse_ids", "team_ids", "category_ids")
        )
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        kpis = self.sudo().with_context(active_test=False).search([])
        ctx = DashboardContext(
            self.env, companies, date_from, date_to, compare, tz, dims, role, kpis
        )
        if filters.get("codes"):
            ctx.codes = set(filters["codes"])
        return ctx

    @api.model
    def _dist_date(self, value, key):
        if not value:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise UserError(
                self.env._(
                    "%(key)s must be an ISO date (YYYY-MM-DD), not “%(value)s”.",
                    key=key,
                    value=value,
                )
            )

    @api.model
    def _dist_ids(self, value, key):
        if not value:
            return []
        try:
            return sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise UserError(
                self.env._(
                    "%(key)s must be a list of record ids, not %(value)r.", key=key, value=value
                )
            )

    @api.model
    def _dist_companies(self, company_ids):
        """The companies asked for, among those the user may see (default:
        the companies selected in the company switcher)."""
        if not company_ids:
            return self.env.companies
        companies = self.env["res.company"].browse(self._dist_ids(company_ids, "company_ids"))
        if not self.env.su:
            forbidden = companies - self.env.user.company_ids
            if forbidden:
                raise AccessError(
                    self.env._(
                        "You are not allowed to see the figures of %(companies)s.",
                        companies=", ".join(forbidden.sudo().mapped("name")),
                    )
                )
        return companies

    # ------------------------------------------------------------------
    # Domains and SQL
    # ------------------------------------------------------------------
    @api.model
    def _dist_scope_domain(self, model_name, ctx, materialize=False):
        """Domain of ``model_name`` restricted to the companies and dimensions
        of ``ctx``. ``materialize`` turns subqueries into ids (for the client)."""
        model = self.env[model_name]
        company_field = "company_id" if "company_id" in model._fields else COMPANY_FIELD[model_name]
        domain = Domain(company_field, "in", ctx.companies.ids)
        if not ctx.has_dimensions:
            return domain
        if model_name == REQUEST:
            # Requests name their document: with dimensions, those of the
            # matching sales orders.
            orders = self.env["sale.order"].sudo().with_context(active_test=False)
            orders_domain = self._dist_dimension_domain("sale.order", ctx)
            query = orders._search(orders_domain)
            res_ids = orders.search(orders_domain).ids if materialize else query
            return domain & Domain("res_model", "=", "sale.order") & Domain("res_id", "in", res_ids)
        return domain & self._dist_dimension_domain(model_name, ctx)

    @api.model
    def _dist_dimension_domain(self, model_name, ctx):
        dims = DIMENSIONS[model_name]
        domain = Domain.TRUE
        for ids, build in (
            (ctx.warehouse_ids, dims.warehouse),
            (ctx.team_ids, dims.team),
            (ctx.category_ids, dims.category),
        ):
            if ids and build:
                domain &= Domain(build(ids))
        return domain

    @api.model
    def _dist_where(self, model, domain, query):
        """SQL of ``domain`` on ``model`` (no access rule); the joins it needs
        (many-to-one links Odoo joins) are added to ``query``."""
        return Domain(domain).optimize_full(model)._to_sql(model, model._table, query)

    @api.model
    def _dist_measures(self, model_name, items, ctx, grouped=False):
        """One aggregate query over ``model_name``.

        ``items`` are (kpi, window name, window, part) with part ``value`` (the
        KPI's aggregates over its population) or ``drill`` (the count of the
        records behind it). Each becomes ``FILTER`` clauses of the same pass
        over the table; each distinct condition is computed once per record
        (a column of the inner query), however many KPIs use it. Without
        ``grouped``: SQL of one row; with it, the rows of the grouping sets
        total / per warehouse / per team.
        """
        model = self.env[model_name].sudo().with_context(active_test=False)
        alias = model._table

        def col(name):
            return SQL.identifier(alias, name)

        factor = self._dist_currency_factor(ctx, col("company_id")) if not grouped else SQL("1")
        query = Query(self.env, alias, model._table_sql)
        flags, selecting = {}, {}

        def flag(domain, selects=False):
            """The column holding ``domain``'s truth; ``selects``: records
            matching it are read."""
            sql = self._dist_where(model, domain, query)
            key = (sql.code, repr(sql.params))
            if key not in flags:
                flags[key] = (f"__c{len(flags)}", sql)
            if selects:
                selecting[key] = sql
            return col(flags[key][0])

        selects = []
        for kpi, wname, window, part in items:
            prefix = f"{kpi.code}__{wname}"
            if part == "drill":
                # Records behind a number are among those measured: on the
                # model measured, the populations already select them.
                cond = flag(kpi.drill_domain(ctx, window), selects=bool(kpi.drill_model))
                selects.append((f"{prefix}__count", SQL("COUNT(*) FILTER (WHERE %s)", cond)))
                continue
            pop = flag(kpi.population(ctx, window), selects=True)
            if kpi.kind == "rate" and kpi.ratio:
                num, den = kpi.ratio(col)
                selects.append((f"{prefix}__num", SQL("SUM(%s) FILTER (WHERE %s)", num, pop)))
                selects.append((f"{prefix}__den", SQL("SUM(%s) FILTER (WHERE %s)", den, pop)))
            elif kpi.kind == "rate":
                numerator = kpi.numerator(ctx) if callable(kpi.numerator) else kpi.numerator
                good = flag(numerator)
                selects.append(
                    (f"{prefix}__num", SQL("COUNT(*) FILTER (WHERE %s AND %s)", pop, good))
                )
                selects.append((f"{prefix}__den", SQL("COUNT(*) FILTER (WHERE %s)", pop)))
            elif kpi.kind in ("avg", "p50", "p90"):
                value = kpi.value(ctx, window, col)
                if kpi.kind == "avg":
                    aggregate = SQL("AVG(%s) FILTER (WHERE %s)", value, pop)
                else:
                    fraction = 0.5 if kpi.kind == "p50" else 0.9
                    aggregate = SQL(
                        "percentile_cont(%s) WITHIN GROUP (ORDER BY %s) FILTER (WHERE %s)",
                        fraction,
                        value,
                        pop,
                    )
                selects.append((f"{prefix}__num", aggregate))
                selects.append((f"{prefix}__den", SQL("COUNT(%s) FILTER (WHERE %s)", value, pop)))
            elif kpi.kind == "count":
                selects.append((f"{prefix}__num", SQL("COUNT(*) FILTER (WHERE %s)", pop)))
            else:
                value = kpi.value(ctx, window, col)
                if kpi.currency:
                    value = SQL("(%s) * %s", value, factor)
                selects.append((f"{prefix}__num", SQL("SUM(%s) FILTER (WHERE %s)", value, pop)))
        scope = self._dist_where(
            model,
            self._dist_scope_domain(model_name, ctx) & Domain(SOURCE_DOMAIN.get(model_name, [])),
            query,
        )
        inner = SQL(
            "(SELECT %s.*, %s FROM %s WHERE %s AND (%s)) AS %s",
            SQL.identifier(alias),
            SQL(", ").join(
                SQL("%s AS %s", sql, SQL.identifier(name)) for name, sql in flags.values()
            ),
            query.from_clause,
            scope,
            SQL(" OR ").join(selecting.values()),
            SQL.identifier(alias),
        )
        columns = [SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in selects]
        if not grouped:
            return SQL("SELECT %s FROM %s", SQL(", ").join(columns), inner)
        dims = DIMENSIONS[model_name]
        keys, sets = [], [SQL("()")]
        for name, build in (("warehouse_id", dims.warehouse_sql), ("team_id", dims.team_sql)):
            if build:
                expr = build(col)
                keys += [
                    SQL("%s AS %s", expr, SQL.identifier(name)),
                    SQL("GROUPING(%s) = 0 AS %s", expr, SQL.identifier(f"by_{name}")),
                ]
                sets.append(SQL("(%s)", expr))
        return SQL(
            "SELECT %s FROM %s GROUP BY GROUPING SETS (%s)",
            SQL(", ").join(keys + columns),
            inner,
            SQL(", ").join(sets),
        )

    @api.model
    def _dist_currency_factor(self, ctx, company_col):
        """SQL converting an amount of a company's currency into the currency
        of the current company (today's rate), when the companies differ."""
        target = self.env.company.currency_id
        today = fields.Date.context_today(self)
        cases = [
            SQL(
                "WHEN %s THEN %s",
                company.id,
                company.currency_id._get_conversion_rate(
                    company.currency_id, target, company, today
                ),
            )
            for company in ctx.companies.sudo()
            if company.currency_id != target
        ]
        if not cases:
            return SQL("1")
        return SQL("(CASE %s %s ELSE 1 END)", company_col, SQL(" ").join(cases))

    @api.model
    def _dist_plan(self, specs, windows):
        """{model: [(kpi, window name, window, part)]} to measure ``specs``:
        their values in every window, the records behind them in the first
        one (the comparison period shows no count)."""
        plan = defaultdict(list)
        for spec in specs:
            for index, (wname, window) in enumerate(windows.items()):
                if window is None or (spec.live and not window.reaches_now):
                    continue
                plan[spec.model].append((spec, wname, window, "value"))
                if not index:
                    plan[spec.records_model].append((spec, wname, window, "drill"))
        return plan

    @staticmethod
    def _dist_result(spec, row, prefix):
        """(value, count, weight) of one KPI from an aggregate row."""
        num = row.get(f"{prefix}__num")
        den = row.get(f"{prefix}__den")
        count = row.get(f"{prefix}__count") or 0
        if spec.kind == "rate":
            value = 100.0 * float(num or 0) / float(den) if den else None
            return value, count, float(den or 0)
        if spec.kind == "count":
            return float(num or 0), count, None
        if spec.kind == "sum":
            return float(num or 0), count, None
        return (float(num) if num is not None else None), count, float(den or 0)

    # ------------------------------------------------------------------
    # Dashboard
    # ------------------------------------------------------------------
    @api.model
    def _dist_tiles(self, ctx, with_inactive=False, with_live=True):
        """[(KPI, definition)] of the dashboard (of the role view of ``ctx``)."""
        return [
            (kpi, KPI_BY_CODE[kpi.code])
            for kpi in ctx.kpis
            if (kpi.active or with_inactive)
            and (not ctx.role or kpi[f"role_{ctx.role}"])
            and (ctx.codes is None or kpi.code in ctx.codes)
            and kpi.code in KPI_BY_CODE
            and (with_live or not KPI_BY_CODE[kpi.code].live)
        ]

    @api.model
    @api.readonly
    def get_dashboard(self, filters=None):
        """Every tile of the dashboard for ``filters``, in one SQL statement.

        ``filters``: ``date_from``, ``date_to`` (ISO dates, the period, in the
        user's timezone; default the last 30 days), optional ``company_ids``
        (default the companies selected in the switcher; only companies the
        user is allowed in), ``warehouse_ids``, ``team_ids``, ``category_ids``
        (customer categories, with their subcategories), ``compare``
        (``previous``: the period just before, ``last_year``), ``role``
        (``operations``, ``approvals``, ``finance``: the tiles of that view),
        ``codes`` (only these KPIs).

        :return: ``{"tiles": [{"code", "name", "value", "unit", "target",
            "status", "previous", "trend", "count", "can_open"}]}``: rates in percent
            (0-100), durations in hours, amounts in the current company's
            currency; ``value`` None when nothing was measured; ``count`` the
            number of records the tile's drill-down lists (``can_open``: whether
            the user may open them); ``trend`` the
            daily snapshots of the period (weekly or monthly over long ones).
        """
        ctx = self._dist_context(filters)
        tiles = self._dist_tiles(ctx)
        if not tiles:
            return {"tiles": []}
        trend_from = min(ctx.date_from, ctx.date_to - timedelta(days=TREND_MIN_DAYS - 1))
        self.env.flush_all()
        without_jit(self.env)
        [row] = self.env.execute_query_dict(self._dist_dashboard_sql(ctx, tiles, trend_from))
        trend = self.env["dist.kpi.value"]._dist_trend_points(
            ctx, tiles, row.pop("__trend"), trend_from
        )
        result = []
        readable = {}
        for kpi, spec in tiles:
            value, count = None, 0
            model = spec.records_model
            if model not in readable:
                readable[model] = self.env[model].has_access("read")
            # The records behind a tile open for who may read them, and only
            # for what is measured now (a past period of a live KPI is a
            # snapshot: its records are gone).
            can_open = readable[model]
            if spec.live and not ctx.current.reaches_now:
                value = trend["snapshot"].get((kpi.id, ctx.date_to))
                can_open = False
            else:
                value, count, __ = self._dist_result(spec, row, f"{spec.code}__cur")
            previous = None
            if ctx.previous:
                if spec.live and not ctx.previous.reaches_now:
                    previous = trend["snapshot"].get((kpi.id, ctx.previous_dates[1]))
                else:
                    previous = self._dist_result(spec, row, f"{spec.code}__prev")[0]
            result.append(
                {
                    "code": kpi.code,
                    "name": kpi.name,
                    "value": _round(value),
                    "unit": kpi.unit,
                    "target": kpi.target if kpi.has_target else None,
                    "status": kpi._dist_status(_round(value)),
                    "previous": _round(previous),
                    "trend": trend["points"].get(kpi.id, []),
                    "count": count,
                    "can_open": can_open,
                }
            )
        return {"tiles": result}

    @api.model
    def _dist_dashboard_sql(self, ctx, tiles, trend_from):
        """The one statement behind the dashboard: a CTE per model (its
        aggregates, current and comparison periods) and the snapshots of the
        trend as JSON."""
        windows = {"cur": ctx.current, "prev": ctx.previous}
        plan = self._dist_plan([spec for __, spec in tiles], windows)
        sources = [
            (SQL.identifier(f"s{index}"), self._dist_measures(model, items, ctx))
            for index, (model, items) in enumerate(plan.items())
        ]
        snapshots = self.env["dist.kpi.value"]._dist_trend_sql(
            ctx,
            [kpi.id for kpi, __ in tiles],
            trend_from,
            [kpi.id for kpi, spec in tiles if spec.currency],
        )
        return SQL(
            "%s SELECT %s (SELECT COALESCE(json_agg(t), '[]'::json) FROM (%s) t) AS __trend %s",
            SQL("WITH %s", SQL(", ").join(SQL("%s AS (%s)", name, sql) for name, sql in sources))
            if sources
            else SQL(),
            SQL("").join(SQL("%s.*, ", name) for name, __ in sources),
            snapshots,
            SQL("FROM %s", SQL(", ").join(name for name, __ in sources)) if sources else SQL(),
        )

    @api.model
    def action_drilldown(self, code, filters=None):
        """The window action listing exactly the records behind tile ``code``
        for ``filters`` (as in ``get_dashboard``): the failing ones for a
        rate (late or short lines for OTIF), those measured otherwise."""
        ctx = self._dist_context(filters)
        kpi = ctx.kpis.filtered(lambda k: k.code == code)[:1]
        spec = KPI_BY_CODE.get(code)
        if not kpi or not spec:
            raise UserError(self.env._("There is no KPI “%s” on the dashboard.", code))
        model = spec.records_model
        domain = self._dist_scope_domain(model, ctx, materialize=True) & Domain(
            spec.drill_domain(ctx, ctx.current)
        )
        view = (
            self.env.ref(DRILL_VIEWS[model], raise_if_not_found=False)
            if model in DRILL_VIEWS
            else None
        )
        return {
            "type": "ir.actions.act_window",
            "name": kpi.name,
            "res_model": model,
            "domain": _serializable(self.env, list(domain)),
            "views": [[view.id if view else False, "list"], [False, "form"]],
            "context": {"create": False, **spec.drill_context},
            "target": "current",
        }


def _round(value):
    return None if value is None else round(value, 2)


def _serializable(env, domain):
    """The domain as the web client expects it: datetimes as strings,
    subqueries as the ids they select."""
    result = []
    for item in domain:
        leaf = item
        if isinstance(item, (list, tuple)) and len(item) == 3:
            field_name, operator, value = item
            if isinstance(value, Query):
                value = list(value)
            elif isinstance(value, SQL):
                value = [row[0] for row in env.execute_query(value)]
            elif isinstance(value, datetime):
                value = fields.Datetime.to_string(value)
            elif isinstance(value, date):
                value = fields.Date.to_string(value)
            leaf = [field_name, operator, value]
        result.append(leaf)
    return result
