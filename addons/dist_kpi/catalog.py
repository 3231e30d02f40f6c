# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What each KPI measures, in one place.

A KPI is defined by domains on one model: the records it measures in a
period (``population``), for a rate the share of them that counts
(``numerator``), the value to average or sum, and the records behind its
number (``drill``, the failing ones for a rate). The dashboard compiles these
domains to SQL (``FILTER`` clauses of one aggregate query per model) and the
drill-down returns the same domain in a window action: the number and the
records behind it cannot disagree.

Periods are half-open UTC windows ``[start, end)``; a KPI measured "as of" a
moment (pending approvals, open exceptions, open backorders) is measured at
the end of the window, or now if the window ends later.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from odoo.tools import SQL

# Quantities closer than this are equal (units of the sales line).
QTY_EPSILON = 0.0001
HOUR = 3600.0

ROLES = ("operations", "approvals", "finance")
KINDS = ("rate", "avg", "p50", "p90", "count", "sum")


class Window(NamedTuple):
    """A period: naive UTC datetimes, ``end`` excluded; ``now`` caps "as of"."""

    start: datetime
    end: datetime
    now: datetime

    @property
    def at(self):
        """The moment an "as of" KPI is measured: the end, or now."""
        return min(self.end, self.now)

    @property
    def reaches_now(self):
        return self.end >= self.now


def without_jit(env):
    """Turn PostgreSQL's JIT compilation off for the rest of the transaction.

    The KPI statements are large expressions run once: compiling them takes
    seconds (3 s measured on 6,000 lines, against 0.7 s to run them), far
    more than it saves.
    """
    env.cr.execute(SQL("SET LOCAL jit = off"))


def within(field_name, window):
    return [(field_name, ">=", window.start), (field_name, "<", window.end)]


def hours(col, start, end):
    """SQL: hours from column ``start`` to column ``end``."""
    return SQL("EXTRACT(EPOCH FROM (%s - %s)) / %s", col(end), col(start), HOUR)


@dataclass(frozen=True)
class Kpi:
    """How one KPI code is computed.

    - ``population(ctx, w)``: domain of the records measured in window ``w``;
    - ``numerator``: for a rate counted in records, the domain (within the
      population) of those that count; ``ratio``, for a rate in quantities, a
      function ``col -> (numerator SQL, denominator SQL)`` summed over it;
    - ``value(ctx, w, col)``: SQL averaged (``avg``, ``p50``, ``p90``) or
      summed (``sum``) over the population;
    - ``drill(ctx, w)``: the records behind the number, on ``drill_model``
      (default: the population, on ``model``); on ``model``, always a part
      of the population;
    - ``as_of``: measured at a moment (the window's end), not over a period;
      ``live``: only measurable now (its past values come from snapshots);
    """

    code: str
    model: str
    kind: str
    population: Any
    numerator: Any = None
    ratio: Any = None
    value: Any = None
    drill: Any = None
    drill_model: str | None = None
    drill_context: dict = field(default_factory=dict)
    as_of: bool = False
    live: bool = False
    currency: bool = False

    def drill_domain(self, ctx, window):
        if self.drill is None:
            return self.population(ctx, window)
        return self.drill(ctx, window)

    @property
    def records_model(self):
        return self.drill_model or self.model

    @property
    def weighted(self):
        """Snapshots of this KPI combine as an average weighted by population."""
        return self.kind in ("rate", "avg", "p50", "p90")


FACT = "dist.kpi.fulfilment"
ORDER = "dist.kpi.order.report"
SUPPLIER = "dist.kpi.supplier.report"
REQUEST = "dist.approval.request"
EXCEPTION = "dist.exception"
RETURN = "dist.return"
RETURN_LINE = "dist.return.line"


# ----------------------------------------------------------------------
# Fulfilment (our fact table, one row per delivered sales order line)
# ----------------------------------------------------------------------
def _first_shipped(ctx, w):
    return within("first_ship_date", w)


def _orders_completed(ctx, w):
    return [("order_complete", "=", True), *within("order_last_ship_date", w)]


def _completed(ctx, w):
    return within("last_ship_date", w)


def _unbilled(ctx, w):
    return [("unbilled_qty", ">", 0), ("first_ship_date", "<", w.at)]


# ----------------------------------------------------------------------
# Approvals
# ----------------------------------------------------------------------
DECIDED = ("approved", "rejected")


def _decided(ctx, w):
    return [("state", "in", DECIDED), *within("decided_on", w)]


def _pending_at(w, older_than=None, younger_than=None):
    """Requests pending at the window's moment, optionally by age (days since
    they became pending: a later level waits from when the one before it is
    decided, as its approvers see it)."""
    at = w.at
    domain = [
        ("pending_since", "<=", at),
        "|",
        ("decided_on", "=", False),
        ("decided_on", ">", at),
    ]
    if older_than is not None:
        domain.append(("pending_since", "<=", _days_before(at, older_than)))
    if younger_than is not None:
        domain.append(("pending_since", ">", _days_before(at, younger_than)))
    return domain


def _days_before(moment, days):
    return moment - timedelta(days=days)


def _pending_bucket(older_than, younger_than):
    return lambda ctx, w: _pending_at(w, older_than, younger_than)


def _sales_evaluated(ctx, w):
    return [
        ("approval_state", "!=", False),
        ("state", "!=", "cancel"),
        *within("date_order", w),
    ]


# ----------------------------------------------------------------------
# Exceptions
# ----------------------------------------------------------------------
def _open_at(ctx, w):
    at = w.at
    return [
        ("detected_on", "<=", at),
        "|",
        ("resolved_on", "=", False),
        ("resolved_on", ">", at),
    ]


def _resolved(ctx, w):
    return [("state", "=", "resolved"), *within("resolved_on", w)]


def _orders_confirmed(ctx, w):
    return [("state", "=", "sale"), *within("date_order", w)]


def _with_exception(ctx):
    """Orders with an exception, as one subquery on the exceptions (hashed
    once, where a condition on the one2many is evaluated order by order)."""
    exceptions = ctx.env["dist.exception"].sudo()._search([("sale_order_id", "!=", False)])
    return [("id", "in", exceptions.subselect("sale_order_id"))]


# ----------------------------------------------------------------------
# Backorders, stock, suppliers, returns, risk
# ----------------------------------------------------------------------
def _open_backorders(ctx, w):
    at = w.at
    return [
        ("picking_type_id.code", "=", "outgoing"),
        ("backorder_id", "!=", False),
        ("sale_id", "!=", False),
        # A backorder exists from the validation of the delivery it continues.
        ("backorder_id.date_done", "<=", at),
        ("state", "!=", "cancel"),
        "|",
        ("state", "!=", "done"),
        ("date_done", ">", at),
    ]


def _backorder_age(ctx, w, col):
    """Hours since the original promise (the order's, else the backorder's
    own scheduled date), zero while not yet due."""
    promised = SQL(
        "COALESCE((SELECT MIN(f.promised_date) FROM dist_kpi_fulfilment f "
        "WHERE f.order_id = %s), %s)",
        col("sale_id"),
        col("scheduled_date"),
    )
    return SQL("GREATEST(EXTRACT(EPOCH FROM (%s - %s)) / %s, 0)", w.at, promised, HOUR)


def _counts(ctx, w):
    return [("is_inventory", "=", True), ("state", "=", "done"), *within("date", w)]


def _count_within_tolerance(ctx):
    tolerance = ctx.tolerance
    if tolerance > 0:
        return ["|", ("quantity", "=", 0), ("value", "<=", tolerance)]
    return [("quantity", "=", 0)]


def _count_off(ctx, w):
    tolerance = ctx.tolerance
    off = [("quantity", "!=", 0)]
    if tolerance > 0:
        off.append(("value", ">", tolerance))
    return [*_counts(ctx, w), *off]


def _adjustments(ctx, w):
    return [*_counts(ctx, w), ("quantity", "!=", 0)]


def _returns_resolved(ctx, w):
    return [("state", "=", "done"), *within("resolved_on", w)]


def _return_resolution_hours(ctx, w, col):
    return hours(col, "create_date", "resolved_on")


def _return_lines(ctx, w):
    return [
        ("return_id.state", "not in", ("draft", "rejected", "cancelled")),
        *within("return_id.create_date", w),
    ]


def _at_risk(ctx, w):
    return [
        ("state", "=", "sale"),
        ("dist_risk_level", "in", ("medium", "high")),
        ("delivery_status", "!=", "full"),
    ]


KPIS = [
    # Fulfilment -------------------------------------------------------
    Kpi(
        "fill_rate",
        FACT,
        "rate",
        _first_shipped,
        numerator=[("first_in_full", "=", True)],
        drill=lambda ctx, w: [*_first_shipped(ctx, w), ("first_in_full", "=", False)],
    ),
    Kpi(
        "fill_rate_units",
        FACT,
        "rate",
        _first_shipped,
        ratio=lambda col: (
            SQL("LEAST(%s, %s)", col("qty_first"), col("qty_ordered")),
            col("qty_ordered"),
        ),
        drill=lambda ctx, w: [*_first_shipped(ctx, w), ("first_in_full", "=", False)],
    ),
    Kpi(
        "on_time_shipment",
        ORDER,
        "rate",
        _completed,
        numerator=[("on_time", "=", True)],
        drill=lambda ctx, w: [*_orders_completed(ctx, w), ("failure", "in", ("late", "both"))],
        drill_model=FACT,
    ),
    Kpi(
        "otif",
        ORDER,
        "rate",
        _completed,
        numerator=[("otif", "=", True)],
        drill=lambda ctx, w: [*_orders_completed(ctx, w), ("failure", "!=", False)],
        drill_model=FACT,
    ),
    Kpi(
        "perfect_order",
        ORDER,
        "rate",
        _completed,
        numerator=[("perfect", "=", True)],
        drill=lambda ctx, w: [*_completed(ctx, w), ("perfect", "=", False)],
    ),
    Kpi(
        "order_cycle_time",
        ORDER,
        "avg",
        _completed,
        value=lambda ctx, w, col: col("cycle_time"),
        drill_context={"search_default_order_by_cycle": 1},
    ),
    Kpi(
        "order_cycle_time_p50",
        ORDER,
        "p50",
        _completed,
        value=lambda ctx, w, col: col("cycle_time"),
    ),
    Kpi(
        "order_cycle_time_p90",
        ORDER,
        "p90",
        _completed,
        value=lambda ctx, w, col: col("cycle_time"),
    ),
    Kpi(
        "backorder_age",
        "stock.picking",
        "avg",
        _open_backorders,
        value=_backorder_age,
        as_of=True,
    ),
    Kpi(
        "invoice_lag",
        FACT,
        "avg",
        lambda ctx, w: within("billed_on", w),
        value=lambda ctx, w, col: col("invoice_lag"),
    ),
    Kpi("unbilled_deliveries", FACT, "count", _unbilled, live=True),
    Kpi(
        "unbilled_value",
        FACT,
        "sum",
        _unbilled,
        value=lambda ctx, w, col: col("unbilled_value"),
        live=True,
        currency=True,
    ),
    Kpi(
        "return_rate",
        FACT,
        "rate",
        _first_shipped,
        ratio=lambda col: (col("qty_returned"), col("qty_shipped")),
        drill=lambda ctx, w: [*_first_shipped(ctx, w), ("qty_returned", ">", 0)],
    ),
    # Approvals ---------------------------------------------------------
    Kpi(
        "approval_cycle_time",
        REQUEST,
        "avg",
        _decided,
        value=lambda ctx, w, col: hours(col, "requested_on", "decided_on"),
    ),
    Kpi("approval_pending", REQUEST, "count", lambda ctx, w: _pending_at(w), as_of=True),
    Kpi("approval_pending_1d", REQUEST, "count", _pending_bucket(None, 1), as_of=True),
    Kpi("approval_pending_3d", REQUEST, "count", _pending_bucket(1, 3), as_of=True),
    Kpi("approval_pending_7d", REQUEST, "count", _pending_bucket(3, 7), as_of=True),
    Kpi("approval_pending_older", REQUEST, "count", _pending_bucket(7, None), as_of=True),
    Kpi(
        "auto_approval_rate",
        "sale.order",
        "rate",
        _sales_evaluated,
        numerator=[("approval_state", "=", "not_required")],
        drill=lambda ctx, w: [
            *_sales_evaluated(ctx, w),
            ("approval_state", "!=", "not_required"),
        ],
    ),
    Kpi(
        "approval_override_count",
        REQUEST,
        "count",
        lambda ctx, w: [("is_override", "=", True), *_decided(ctx, w)],
    ),
    Kpi(
        "approval_rejection_rate",
        REQUEST,
        "rate",
        _decided,
        numerator=[("state", "=", "rejected")],
        drill=lambda ctx, w: [("state", "=", "rejected"), *within("decided_on", w)],
    ),
    # Exceptions --------------------------------------------------------
    Kpi(
        "exception_open",
        EXCEPTION,
        "count",
        _open_at,
        as_of=True,
        drill_context={"group_by": ["exception_type"]},
    ),
    Kpi(
        "exception_frequency",
        "sale.order",
        "rate",
        _orders_confirmed,
        numerator=_with_exception,
        drill=lambda ctx, w: [*_orders_confirmed(ctx, w), *_with_exception(ctx)],
    ),
    Kpi(
        "exception_mttr",
        EXCEPTION,
        "avg",
        _resolved,
        value=lambda ctx, w, col: hours(col, "detected_on", "resolved_on"),
        drill_context={"group_by": ["exception_type"]},
    ),
    # Suppliers and stock -----------------------------------------------
    Kpi(
        "supplier_on_time",
        SUPPLIER,
        "rate",
        lambda ctx, w: within("date_planned", w),
        ratio=lambda col: (
            SQL("LEAST(%s, %s)", col("qty_on_time"), col("qty_ordered")),
            col("qty_ordered"),
        ),
        drill=lambda ctx, w: [*within("date_planned", w), ("on_time", "=", False)],
        drill_context={"group_by": ["partner_id"]},
    ),
    Kpi(
        "stock_adjustment_value",
        "stock.move",
        "sum",
        _adjustments,
        value=lambda ctx, w, col: SQL("ABS(COALESCE(%s, 0))", col("value")),
        currency=True,
    ),
    Kpi(
        "inventory_accuracy",
        "stock.move",
        "rate",
        _counts,
        numerator=_count_within_tolerance,
        drill=_count_off,
    ),
    # Returns and orders at risk -------------------------------------------
    Kpi(
        "return_resolution_time",
        RETURN,
        "avg",
        _returns_resolved,
        value=_return_resolution_hours,
    ),
    Kpi(
        "return_reasons",
        RETURN_LINE,
        "count",
        _return_lines,
        drill_context={"group_by": ["reason_id"]},
    ),
    Kpi("orders_at_risk", "sale.order", "count", _at_risk, live=True),
]
KPI_BY_CODE = {kpi.code: kpi for kpi in KPIS}


# ----------------------------------------------------------------------
# Dimensions: how each model is filtered by warehouse, team and customer
# category, and grouped for the snapshots
# ----------------------------------------------------------------------
@dataclass(frozen=True)
class Dimensions:
    """Domains filtering a model by the dashboard's dimensions; SQL of its
    warehouse and team (``None``: the model has no such dimension, the
    filter does not apply to it and no snapshot is kept per value)."""

    warehouse: Any = None
    team: Any = None
    category: Any = None
    warehouse_sql: Any = None
    team_sql: Any = None


def _field_in(path):
    return lambda ids: [(path, "in", ids)]


def _category(path):
    return lambda ids: [(path, "child_of", ids)]


def _column(name):
    return lambda col: col(name)


def _sale_order_subselect(column, order_field):
    return lambda col: SQL(
        "(SELECT %s FROM sale_order WHERE sale_order.id = %s)",
        SQL.identifier(column),
        col(order_field),
    )


def _exception_warehouse(ids):
    return [
        "|",
        ("sale_order_id.warehouse_id", "in", ids),
        "&",
        ("sale_order_id", "=", False),
        ("picking_id.picking_type_id.warehouse_id", "in", ids),
    ]


def _exception_warehouse_sql(col):
    return SQL(
        """COALESCE((SELECT warehouse_id FROM sale_order WHERE sale_order.id = %s),
                    (SELECT t.warehouse_id FROM stock_picking p
                       JOIN stock_picking_type t ON t.id = p.picking_type_id
                      WHERE p.id = %s))""",
        col("sale_order_id"),
        col("picking_id"),
    )


def _move_warehouse(ids):
    return [
        "|",
        ("location_id.warehouse_id", "in", ids),
        ("location_dest_id.warehouse_id", "in", ids),
    ]


def _move_warehouse_sql(col):
    return SQL(
        """COALESCE((SELECT warehouse_id FROM stock_location WHERE id = %s),
                    (SELECT warehouse_id FROM stock_location WHERE id = %s))""",
        col("location_id"),
        col("location_dest_id"),
    )


SALE_DIMENSIONS = Dimensions(
    warehouse=_field_in("warehouse_id"),
    team=_field_in("team_id"),
    category=_category("partner_id.commercial_partner_id.category_id"),
    warehouse_sql=_column("warehouse_id"),
    team_sql=_column("team_id"),
)

# The facts hold the commercial partner of the order.
FACT_DIMENSIONS = replace(SALE_DIMENSIONS, category=_category("partner_id.category_id"))

DIMENSIONS = {
    # The delivered orders report is a view on the facts: the same columns.
    FACT: FACT_DIMENSIONS,
    ORDER: FACT_DIMENSIONS,
    "sale.order": SALE_DIMENSIONS,
    "stock.picking": Dimensions(
        warehouse=_field_in("picking_type_id.warehouse_id"),
        team=_field_in("sale_id.team_id"),
        category=_category("sale_id.partner_id.commercial_partner_id.category_id"),
        warehouse_sql=lambda col: SQL(
            "(SELECT warehouse_id FROM stock_picking_type WHERE id = %s)", col("picking_type_id")
        ),
        team_sql=_sale_order_subselect("team_id", "sale_id"),
    ),
    EXCEPTION: Dimensions(
        warehouse=_exception_warehouse,
        team=_field_in("sale_order_id.team_id"),
        category=_category("partner_id.category_id"),
        warehouse_sql=_exception_warehouse_sql,
        team_sql=_sale_order_subselect("team_id", "sale_order_id"),
    ),
    # Approval requests refer to their document by model and id: with a
    # warehouse, team or category, they are those of the matching orders.
    REQUEST: Dimensions(),
    SUPPLIER: Dimensions(
        warehouse=_field_in("warehouse_id"),
        warehouse_sql=_column("warehouse_id"),
    ),
    "stock.move": Dimensions(
        warehouse=_move_warehouse,
        warehouse_sql=_move_warehouse_sql,
    ),
    RETURN: Dimensions(
        warehouse=_field_in("sale_order_id.warehouse_id"),
        team=_field_in("sale_order_id.team_id"),
        category=_category("partner_id.commercial_partner_id.category_id"),
        warehouse_sql=_sale_order_subselect("warehouse_id", "sale_order_id"),
        team_sql=_sale_order_subselect("team_id", "sale_order_id"),
    ),
    RETURN_LINE: Dimensions(
        warehouse=_field_in("return_id.sale_order_id.warehouse_id"),
        team=_field_in("return_id.sale_order_id.team_id"),
        category=_category("return_id.partner_id.commercial_partner_id.category_id"),
    ),
}
# What every KPI on a model measures, stated once for the whole pass so that
# PostgreSQL uses the partial indexes that match it.
SOURCE_DOMAIN = {
    "stock.move": [("is_inventory", "=", True), ("state", "=", "done")],
    "stock.picking": [("backorder_id", "!=", False), ("sale_id", "!=", False)],
}
# Models whose company is reached through a link, not a company_id column.
COMPANY_FIELD = {RETURN_LINE: "return_id.company_id"}
