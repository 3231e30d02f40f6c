# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

# Each factor is a chance that the order misses its promise; the score is the
# chance that at least one of them happens (1 - product of the chances that
# none does), in %.
#
# An incoming receipt may slip, whoever sends it.
RECEIPT_RISK = 0.10
# A receipt planned after the promise: the order is late unless it comes early.
RECEIPT_AFTER_PROMISE_RISK = 0.95
# A supplier without history is judged as if it had PRIOR_WEIGHT receipts on
# time PRIOR_ON_TIME of the time and PRIOR_DAYS_LATE days late when late; its
# own receipts weigh more and more.
PRIOR_ON_TIME = 0.8
PRIOR_DAYS_LATE = 3.0
PRIOR_WEIGHT = 2.0
# A line waiting for an earlier step of its own route (picking, packing).
WAITING_STEP_RISK = 0.10
# Approval pending; and pending beyond the promise.
APPROVAL_RISK = 0.30
APPROVAL_AFTER_PROMISE_RISK = 0.80
# Over the credit limit: a delivery may be held until the customer pays.
CREDIT_HOLD_RISK = 0.35
# Factors below this chance are noise: neither scored nor told.
NEGLIGIBLE = 0.1
# The warehouse's recent pace: shipments per day over this many days, judged
# only with one shipment a day on average (a new or quiet warehouse has no
# pace to judge a backlog by).
SHIPPING_RATE_DAYS = 14
MIN_SHIPMENTS = SHIPPING_RATE_DAYS
# Days an approval is expected to take when its rule sets no deadline.
DEFAULT_WAIT_DAYS = 1


class _Words:
    """How one language and one timezone say quantities and days."""

    def __init__(self, env, lang, tz, now):
        self.env = env(context=dict(env.context, lang=lang))
        self._templates = {}
        self.lang = lang
        self.tz = pytz.timezone(tz or "UTC")
        self._days = {}
        self._names = {}
        self.today = self.local(now)
        self.unit = self.env.ref("uom.product_uom_unit")

    def _(self, source, **values):
        """``source`` translated (looked up once per scan), filled with ``values``."""
        if source not in self._templates:
            self._templates[source] = self.env._(source)
        return self._templates[source] % values if values else self._templates[source]

    def local(self, moment):
        """The day of ``moment`` (UTC) in this timezone."""
        return pytz.utc.localize(moment).astimezone(self.tz).date() if moment else None

    def day(self, day):
        if day not in self._days:
            pattern = "d MMM" if day.year == self.today.year else "d MMM y"
            self._days[day] = format_date(self.env, day, lang_code=self.lang, date_format=pattern)
        return self._days[day]

    def name(self, record):
        key = (record._name, record.id)
        if key not in self._names:
            self._names[key] = record.with_env(self.env).display_name
        return self._names[key]

    def quantity(self, product, quantity):
        uom = product.uom_id
        number = f"{quantity:.{max(0, -math.floor(math.log10(uom.rounding or 1)))}f}"
        if "." in number:
            number = number.rstrip("0").rstrip(".")
        if uom == self.unit:
            return number
        return f"{number} {self.name(uom)}"

    def percent(self, ratio):
        return f"{ratio * 100:.0f} %"

    def relative(self, day, promise):
        """'5 days after the promise' / '2 days before the promise'."""
        _ = self._
        days = (day - promise).days
        if days > 0:
            return _("%(days)s day(s) after the promise", days=days)
        if days < 0:
            return _("%(days)s day(s) before the promise", days=-days)
        return _("on the day of the promise")


class DistOrderRisk(models.AbstractModel):
    """Which orders will miss their promise, and why.

    For every order still to ship (and every quotation waiting for approval)
    the scan of the exception queue estimates when it can ship and the chance
    that it misses its promise (commitment date, else expected date), from:

    - the cover of each open line: reserved; free stock; the incoming receipt
      that completes it in the supply plan of the scan (its planned date and
      its supplier's own on-time record on past receipts); or nothing;
    - the warehouse's backlog: transfers ready to leave ahead of the order
      against what the warehouse shipped per day lately;
    - an approval still pending, a customer over its credit limit, a promise
      already past.

    Everything is read with SQL aggregates and written in one statement, for
    the orders whose result changed.
    """

    _name = "dist.order.risk"
    _description = "Orders at Risk"

    @api.model
    def _dist_score(self, scan):
        """Score the open orders; return the rows of the orders with something
        against their promise, with their risk (``level``, ``reasons``) and
        what an exception needs. The others (every line reserved or in
        stock, nothing in the way) can leave today: they are written in one
        statement without being read."""
        facts = self._dist_facts(scan)
        remarkable = self._dist_remarkable_sql(scan["now"], facts)
        orders = self._dist_open_orders(remarkable)
        results = [self._dist_assess(order, facts) for order in orders]
        self._dist_write(orders, results)
        self._dist_write_quiet(scan["now"], remarkable)
        return [{**order, **result} for order, result in zip(orders, results, strict=True)]

    # ------------------------------------------------------------------
    # Inputs
    # ------------------------------------------------------------------
    @api.model
    def _dist_open_sql(self):
        """Orders to ship, and quotations waiting for approval (``so``)."""
        return SQL(
            """((so.state = 'sale' AND so.delivery_status IN ('pending', 'started', 'partial'))
                OR (so.state IN ('draft', 'sent') AND so.approval_state = 'pending'))"""
        )

    @api.model
    def _dist_orders_sql(self):
        """The orders (``so``) with their customer and their company's partner."""
        return SQL(
            """sale_order so
               JOIN res_partner partner ON partner.id = so.partner_id
               JOIN res_company company ON company.id = so.company_id
               JOIN res_partner company_partner ON company_partner.id = company.partner_id"""
        )

    @api.model
    def _dist_promise_sql(self):
        """The promise of ``so``, a day of its company's timezone: the
        commitment date, else Odoo's expected date."""
        return SQL(
            """(COALESCE(
                    so.commitment_date,
                    -- The expected date is read only without a commitment.
                    CASE WHEN so.commitment_date IS NULL THEN (
                        SELECT so.date_order + make_interval(days => (
                                   CASE WHEN so.picking_policy = 'one' THEN MAX(l.customer_lead)
                                        ELSE MIN(l.customer_lead) END)::int)
                          FROM sale_order_line l
                          JOIN product_product pp ON pp.id = l.product_id
                          JOIN product_template pt ON pt.id = pp.product_tmpl_id
                         WHERE l.order_id = so.id AND pt.type = 'consu'
                           AND l.display_type IS NULL) END)
                AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(company_partner.tz, 'UTC'))::date"""
        )

    @api.model
    def _dist_today_sql(self, now):
        """``now`` as a day of the timezone of the company of ``so``."""
        return SQL(
            """(%s::timestamp AT TIME ZONE 'UTC'
                AT TIME ZONE COALESCE(company_partner.tz, 'UTC'))::date""",
            now,
        )

    @api.model
    def _dist_remarkable_sql(self, now, facts):
        """The open orders with something against their promise: a line not
        reserved, a backlog, an approval pending, a customer over its credit
        limit, a promise past."""
        holds = facts["credit"]
        return SQL(
            """COALESCE(so.id = ANY(%s) OR so.approval_state = 'pending'
                OR (partner.commercial_partner_id = ANY(%s) AND so.company_id = ANY(%s))
                OR %s < %s, FALSE)""",
            list(facts["lines"].keys() | facts["backlog"].keys()),
            list({partner for __, partner in holds}),
            list({company for company, __ in holds}),
            self._dist_promise_sql(),
            self._dist_today_sql(now),
        )

    @api.model
    def _dist_open_orders(self, condition):
        """The open orders matching ``condition``, with their promise and
        their stored risk."""
        return self.env.execute_query_dict(
            SQL(
                """SELECT so.id AS order_id, so.name AS order_name, so.company_id,
                          so.user_id AS owner_hint, so.state, so.approval_state,
                          partner.commercial_partner_id AS partner_id,
                          COALESCE(user_partner.lang, company_partner.lang, 'en_US') AS lang,
                          company_partner.tz, %s AS promise,
                          so.dist_promise_date AS stored_promise,
                          so.dist_estimated_ship_date AS stored_estimate,
                          so.dist_risk_score AS stored_score,
                          so.dist_risk_level AS stored_level,
                          so.dist_risk_reasons AS stored_reasons
                     FROM %s
                LEFT JOIN res_users salesperson ON salesperson.id = so.user_id
                LEFT JOIN res_partner user_partner ON user_partner.id = salesperson.partner_id
                    WHERE %s AND %s
                 ORDER BY so.id""",
                self._dist_promise_sql(),
                self._dist_orders_sql(),
                self._dist_open_sql(),
                condition,
            )
        )

    @api.model
    def _dist_facts(self, scan):
        """Everything the assessment of the open orders reads, in a few queries."""
        scanner = self.env["dist.exception.scanner"]
        lines = defaultdict(list)
        for move, receipt, short, __ in scanner._dist_supply_plan(scan)["cover"].values():
            lines[move["order_id"]].append(("stock", move["product_id"], move, receipt, short))
        for receipt in scanner._dist_scan_chained_receipts(scan):
            lines[receipt["order_id"]].append(
                ("chained", receipt["product_id"], receipt, receipt, 0.0)
            )
        for order_id, product_id in self._dist_waiting_steps():
            # A step waiting for a move already judged above adds nothing.
            if not any(line[1] == product_id or line[0] == "chained" for line in lines[order_id]):
                lines[order_id].append(("waiting", product_id, None, None, 0.0))
        receipts = [line[3] for order_lines in lines.values() for line in order_lines if line[3]]
        vendor_ids = {r["vendor_id"] for r in receipts if r["vendor_id"]}
        products = self.env["product.product"].browse(
            {line[1] for order_lines in lines.values() for line in order_lines}
        )
        companies = self.env["res.company"].sudo().search([])
        rates = self._dist_shipping_rates(scan["now"])
        backlog = {}
        for order_id, (warehouse_id, ahead) in self._dist_backlog().items():
            rate = rates.get(warehouse_id)
            # Less than a day of work ahead is no backlog.
            if rate and ahead >= rate:
                backlog[order_id] = (warehouse_id, ahead, ahead / rate, rate)
        warehouses = self.env["stock.warehouse"].browse({row[0] for row in backlog.values()})
        return {
            "now": scan["now"],
            "lines": lines,
            # By id, each record prefetching the others.
            "products": {product.id: product for product in products},
            "vendors": {vendor.id: vendor for vendor in self.env["res.partner"].browse(vendor_ids)},
            "warehouses": {warehouse.id: warehouse for warehouse in warehouses},
            "suppliers": self._dist_supplier_records(vendor_ids, scan["now"]),
            "backlog": backlog,
            "approvals": self._dist_pending_approvals(),
            "credit": self._dist_credit_holds(companies),
            "companies": {company.id: company for company in companies},
            "levels": {
                company.id: (
                    (company.dist_risk_high, "high"),
                    (company.dist_risk_medium, "medium"),
                    (company.dist_risk_low, "low"),
                )
                for company in companies
            },
            "words": {},
        }

    @api.model
    def _dist_waiting_steps(self):
        """(order, product) of sales moves waiting for an earlier move that is
        not ready itself (multi-step routes, make-to-order)."""
        return self.env.execute_query(
            SQL(
                """SELECT DISTINCT sol.order_id, m.product_id
                     FROM stock_move m
                     JOIN sale_order_line sol ON sol.id = m.sale_line_id
                     JOIN stock_move_move_rel rel ON rel.move_dest_id = m.id
                     JOIN stock_move orig ON orig.id = rel.move_orig_id
                    WHERE m.state = 'waiting'
                      AND orig.state NOT IN ('assigned', 'done', 'cancel')"""
            )
        )

    @api.model
    def _dist_supplier_records(self, vendor_ids, now):
        """{(company, vendor): (receipts, on time, average days late when late)}
        over the past receipts of purchase orders; on time as Odoo's vendor
        on-time rate counts it (received no later than the planned day), over
        the same period (``purchase_stock.on_time_delivery_days``)."""
        if not vendor_ids:
            return {}
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("purchase_stock.on_time_delivery_days", default="365")
        )
        rows = self.env.execute_query(
            SQL(
                """WITH receipt AS (
                        SELECT po.company_id, po.partner_id AS vendor_id, m.picking_id,
                               MAX(m.date)::date - MIN(pol.date_planned)::date AS late
                          FROM stock_move m
                          JOIN stock_location src ON src.id = m.location_id
                          JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
                          JOIN purchase_order po ON po.id = pol.order_id
                         WHERE m.state = 'done' AND src.usage = 'supplier'
                           AND m.date >= %s AND po.partner_id = ANY(%s)
                      GROUP BY 1, 2, 3
                   )
                   SELECT company_id, vendor_id, COUNT(*),
                          COUNT(*) FILTER (WHERE late <= 0),
                          AVG(late) FILTER (WHERE late > 0)
                     FROM receipt
                 GROUP BY 1, 2""",
                datetime.combine(now.date() - timedelta(days=days), time.min),
                list(vendor_ids),
            )
        )
        return {
            (company, vendor): (count, on_time, float(late or 0.0))
            for company, vendor, count, on_time, late in rows
        }

    @api.model
    def _dist_backlog(self):
        """{order: (warehouse, transfers ready to leave ahead of its last open
        delivery)}."""
        rows = self.env.execute_query(
            SQL(
                """WITH queue AS (
                        SELECT p.sale_id, t.warehouse_id,
                               COUNT(*) FILTER (WHERE p.state = 'assigned') OVER (
                                   PARTITION BY t.warehouse_id ORDER BY p.scheduled_date, p.id
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                               ) AS ahead
                          FROM stock_picking p
                          JOIN stock_picking_type t ON t.id = p.picking_type_id
                         WHERE t.code = 'outgoing'
                           AND p.state IN ('waiting', 'confirmed', 'assigned')
                   )
                   SELECT sale_id, MIN(warehouse_id), MAX(ahead)
                     FROM queue
                    WHERE sale_id IS NOT NULL
                 GROUP BY sale_id"""
            )
        )
        return {order: (warehouse, ahead or 0) for order, warehouse, ahead in rows}

    @api.model
    def _dist_shipping_rates(self, now):
        """{warehouse: deliveries done per day over the last SHIPPING_RATE_DAYS
        days}, for the warehouses that shipped at least MIN_SHIPMENTS."""
        since = datetime.combine(now.date() - timedelta(days=SHIPPING_RATE_DAYS), time.min)
        rows = self.env.execute_query(
            SQL(
                """SELECT t.warehouse_id, COUNT(*)
                     FROM stock_picking p
                     JOIN stock_picking_type t ON t.id = p.picking_type_id
                    WHERE t.code = 'outgoing' AND p.state = 'done' AND p.date_done >= %s
                 GROUP BY 1
                   HAVING COUNT(*) >= %s""",
                since,
                MIN_SHIPMENTS,
            )
        )
        return {warehouse: count / SHIPPING_RATE_DAYS for warehouse, count in rows}

    @api.model
    def _dist_pending_approvals(self):
        """{order: (requested on, latest deadline)} of the approvals pending."""
        rows = self.env.execute_query(
            SQL(
                """SELECT res_id, MIN(requested_on), MAX(deadline)
                     FROM dist_approval_request
                    WHERE res_model = 'sale.order' AND is_current
                      AND state IN ('waiting', 'pending')
                 GROUP BY res_id"""
            )
        )
        return {order: (requested, deadline) for order, requested, deadline in rows}

    @api.model
    def _dist_credit_holds(self, companies):
        """{(company, customer): Odoo's credit check} for the customers of open
        orders over their credit limit, in the companies that check it."""
        checking = companies.filtered("account_use_credit_limit")
        if not checking:
            return {}
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT so.company_id, partner.commercial_partner_id
                     FROM %s
                    WHERE %s AND so.company_id = ANY(%s)""",
                self._dist_orders_sql(),
                self._dist_open_sql(),
                checking.ids,
            )
        )
        by_company = defaultdict(set)
        for company_id, partner_id in rows:
            by_company[company_id].add(partner_id)
        holds = {}
        Facts = self.env["dist.approval.facts"]
        for company in checking:
            partners = self.env["res.partner"].sudo().with_company(company)
            partners = partners.browse(by_company[company.id]).filtered("credit_limit")
            for partner in partners:
                credit = Facts._dist_credit(partner, company, 0.0)
                if credit["exceeded"]:
                    holds[company.id, partner.id] = (partner, credit)
        return holds

    # ------------------------------------------------------------------
    # Assessment
    # ------------------------------------------------------------------
    @api.model
    def _dist_words(self, facts, order):
        key = (order["lang"], order["tz"])
        if key not in facts["words"]:
            facts["words"][key] = _Words(self.env, order["lang"], order["tz"], facts["now"])
        return facts["words"][key]

    @api.model
    def _dist_assess(self, order, facts):
        """{score, level, reasons, estimate, promise} of one order."""
        words = self._dist_words(facts, order)
        _ = words._
        today = words.today
        promise = order["promise"]
        order_id = order["order_id"]
        customer = (order["company_id"], order["partner_id"])
        factors = []  # (chance, reason)
        ready = [today]
        if promise and promise < today:
            factors.append(
                (
                    1.0,
                    _(
                        "The promise (%(promise)s) has passed and the order has not shipped.",
                        promise=words.day(promise),
                    ),
                )
            )
        horizon = (promise - today).days if promise else None
        for kind, product_id, row, receipt, short in facts["lines"].get(order_id, ()):
            product = facts["products"][product_id]
            chance, day, reason = self._dist_line_risk(
                kind, product, row, receipt, short, order, words, facts
            )
            ready.append(day)
            if reason:
                factors.append((chance, reason))
        backlog = facts["backlog"].get(order_id)
        if backlog:
            warehouse_id, ahead, days, rate = backlog
            ready.append(today + timedelta(days=math.ceil(days)))
            chance = self._dist_late_chance(days, horizon)
            if chance >= NEGLIGIBLE:
                warehouse = facts["warehouses"][warehouse_id]
                factors.append(
                    (
                        chance,
                        _(
                            "Warehouse %(warehouse)s: %(ahead)s transfers are ready to "
                            "leave ahead of this order and it shipped %(rate)s a day "
                            "lately: about %(days)s day(s) of work.",
                            warehouse=words.name(warehouse),
                            ahead=ahead,
                            rate=f"{rate:.1f}".rstrip("0").rstrip("."),
                            days=math.ceil(days),
                        ),
                    )
                )
        if order["approval_state"] == "pending" and order["state"] != "sale":
            requested, deadline = facts["approvals"].get(order["order_id"], (None, None))
            due = words.local(deadline) if deadline else today + timedelta(days=DEFAULT_WAIT_DAYS)
            ready.append(max(due, today))
            late = bool(promise and due > promise)
            factors.append(
                (
                    APPROVAL_AFTER_PROMISE_RISK if late else APPROVAL_RISK,
                    _(
                        "Awaiting approval since %(since)s (due %(due)s): it cannot ship "
                        "before it is approved.",
                        since=words.day(words.local(requested) if requested else today),
                        due=words.day(due),
                    ),
                )
            )
        hold = facts["credit"].get(customer)
        if hold:
            partner, credit = hold
            money = self.env["dist.approval.facts"]._dist_format_money
            currency = facts["companies"][order["company_id"]].currency_id
            factors.append(
                (
                    CREDIT_HOLD_RISK,
                    _(
                        "%(customer)s is over its credit limit (%(total)s owed or to "
                        "invoice, limit %(limit)s): its deliveries may be held.",
                        customer=partner.display_name,
                        total=money(credit["total"], currency),
                        limit=money(credit["limit"], currency),
                    ),
                )
            )
        scored = [(chance, reason) for chance, reason in factors if chance >= NEGLIGIBLE]
        score = round(100 * (1 - math.prod(1 - chance for chance, __ in scored)))
        estimate = None if None in ready else max(ready)
        reasons = [reason for __, reason in scored]
        if reasons:
            if estimate and promise:
                reasons.append(
                    _(
                        "Estimated ship date: %(estimate)s, %(relative)s (%(promise)s).",
                        estimate=words.day(estimate),
                        relative=words.relative(estimate, promise),
                        promise=words.day(promise),
                    )
                )
            elif not estimate:
                reasons.append(_("No ship date can be estimated until supply is found."))
        return {
            "missed": bool(promise and promise < today),
            "promise": promise,
            "estimate": estimate,
            "score": score,
            "level": self._dist_level(score, facts["levels"][order["company_id"]]),
            "reasons": "\n".join(reasons) or None,
        }

    @api.model
    def _dist_level(self, score, thresholds):
        """The level of ``score`` by the company's ((score from, level), ...)."""
        return next((level for start, level in thresholds if score >= start), "none")

    @api.model
    def _dist_late_chance(self, days, horizon):
        """Chance that ``days`` of expected work overrun ``horizon`` days: even
        odds when they match, more certain the further apart they are."""
        if horizon is None:
            return 0.0
        spread = max(1.0, horizon / 8)
        return 1 / (1 + math.exp(-(days - horizon) / spread))

    @api.model
    def _dist_line_risk(self, kind, product, row, receipt, short, order, words, facts):
        """(chance, day it can ship, reason) of one open line."""
        _ = words._
        today = words.today
        promise = order["promise"]
        name = words.name(product)
        if kind == "waiting":
            return (
                WAITING_STEP_RISK,
                today,
                _("%(product)s: waits for an earlier step that is not ready.", product=name),
            )
        missing = row["product_qty"] if kind == "chained" else row["missing"]
        if short > 0:
            return self._dist_uncovered(product, short, order, words, facts)
        if not receipt:
            # Free stock covers it: it only has to be reserved.
            return 0.0, today, None
        company_id = order["company_id"]
        vendor = facts["vendors"].get(receipt["vendor_id"])
        count, on_time, days_late = facts["suppliers"].get(
            (company_id, receipt["vendor_id"]), (0, 0, 0.0)
        )
        late_share = count - on_time
        punctual = (on_time + PRIOR_ON_TIME * PRIOR_WEIGHT) / (count + PRIOR_WEIGHT)
        usual_delay = (days_late * late_share + PRIOR_DAYS_LATE * PRIOR_WEIGHT) / (
            late_share + PRIOR_WEIGHT
        )
        record = self._dist_supplier_words(words, count, on_time, days_late)
        document = receipt["purchase_name"] or receipt["picking_name"] or ""
        vendor_name = words.name(vendor) if vendor else _("an unknown supplier")
        planned = words.local(receipt["date"])
        if kind == "chained":
            head = _(
                "%(product)s: %(quantity)s made to order",
                product=name,
                quantity=words.quantity(product, missing),
            )
        else:
            head = _(
                "%(product)s: %(quantity)s short",
                product=name,
                quantity=words.quantity(product, missing),
            )
        if planned < today:
            horizon = (promise - today).days if promise else 30
            chance = (
                1.0
                if horizon <= 0
                else 1 - (1 - RECEIPT_RISK) * (1 - math.exp(-horizon / usual_delay))
            )
            return (
                chance,
                today + timedelta(days=math.ceil(usual_delay)),
                _(
                    "%(head)s; receipt %(document)s from %(vendor)s was planned %(date)s "
                    "and has not arrived (%(record)s).",
                    head=head,
                    document=document,
                    vendor=vendor_name,
                    date=words.day(planned),
                    record=record,
                ),
            )
        expected = planned + timedelta(days=round((1 - punctual) * usual_delay))
        if promise and planned > promise:
            chance = RECEIPT_AFTER_PROMISE_RISK
        else:
            slack = (promise - planned).days if promise else 30
            chance = RECEIPT_RISK + (1 - RECEIPT_RISK) * (1 - punctual) * math.exp(
                -slack / usual_delay
            )
        reason = _(
            "%(head)s; next receipt %(document)s planned %(date)s from %(vendor)s (%(record)s)",
            head=head,
            document=document,
            date=words.day(planned),
            vendor=vendor_name,
            record=record,
        )
        if promise:
            reason = _(
                "%(reason)s — %(relative)s.",
                reason=reason,
                relative=words.relative(planned, promise),
            )
        else:
            reason += "."
        return chance, expected, reason

    @api.model
    def _dist_uncovered(self, product, short, order, words, facts):
        """A quantity that no stock and no receipt covers."""
        _ = words._
        company = facts["companies"][order["company_id"]]
        seller = product.with_company(company)._select_seller(quantity=None)
        name = words.name(product)
        quantity = words.quantity(product, short)
        if not seller:
            return (
                1.0,
                None,
                _(
                    "%(product)s: %(quantity)s short, no receipt planned and no vendor on "
                    "the product.",
                    product=name,
                    quantity=quantity,
                ),
            )
        lead = math.ceil(seller.delay + company.days_to_purchase)
        return (
            1.0,
            words.today + timedelta(days=lead),
            _(
                "%(product)s: %(quantity)s short, no receipt planned; ordered now from "
                "%(vendor)s it would arrive in %(days)s day(s).",
                product=name,
                quantity=quantity,
                vendor=words.name(seller.partner_id),
                days=lead,
            ),
        )

    @api.model
    def _dist_supplier_words(self, words, count, on_time, days_late):
        _ = words._
        if not count:
            return _("no past receipt to judge by")
        if on_time == count:
            return _("on time %(share)s of the time", share=words.percent(1.0))
        return _(
            "on time %(share)s of the time, %(days)s day(s) late on average",
            share=words.percent(on_time / count),
            days=f"{days_late:.0f}",
        )

    # ------------------------------------------------------------------
    # Output
    # ------------------------------------------------------------------
    @api.model
    def _dist_write(self, orders, results):
        """Store what changed of these orders' risk, in one statement."""
        changed = [
            (order["order_id"], result)
            for order, result in zip(orders, results, strict=True)
            if (
                order["stored_promise"],
                order["stored_estimate"],
                order["stored_score"],
                order["stored_level"],
                order["stored_reasons"],
            )
            != (
                result["promise"],
                result["estimate"],
                result["score"],
                result["level"],
                result["reasons"],
            )
        ]
        if changed:
            self.env.execute_query(
                SQL(
                    """UPDATE sale_order so
                          SET dist_promise_date = v.promise, dist_estimated_ship_date = v.estimate,
                              dist_risk_score = v.score, dist_risk_level = v.level,
                              dist_risk_reasons = v.reasons
                         FROM unnest(%s::int[], %s::date[], %s::date[], %s::int[],
                                     %s::varchar[], %s::text[])
                              AS v(id, promise, estimate, score, level, reasons)
                        WHERE so.id = v.id""",
                    [order_id for order_id, __ in changed],
                    [result["promise"] for __, result in changed],
                    [result["estimate"] for __, result in changed],
                    [result["score"] for __, result in changed],
                    [result["level"] for __, result in changed],
                    [result["reasons"] for __, result in changed],
                )
            )

    @api.model
    def _dist_write_quiet(self, now, remarkable):
        """The open orders with nothing against their promise can leave today;
        the others are no longer open: they have no risk. One statement each,
        for the orders whose stored risk differs."""
        self.env.execute_query(
            SQL(
                """UPDATE sale_order target
                      SET dist_promise_date = quiet.promise,
                          dist_estimated_ship_date = quiet.today,
                          dist_risk_score = 0, dist_risk_level = 'none',
                          dist_risk_reasons = NULL
                     FROM (SELECT so.id, %s AS promise, %s AS today
                             FROM %s
                            WHERE %s AND NOT %s) quiet
                    WHERE target.id = quiet.id
                      AND (target.dist_promise_date IS DISTINCT FROM quiet.promise
                           OR target.dist_estimated_ship_date IS DISTINCT FROM quiet.today
                           OR target.dist_risk_score IS DISTINCT FROM 0
                           OR target.dist_risk_level IS DISTINCT FROM 'none'
                           OR target.dist_risk_reasons IS NOT NULL)""",
                self._dist_promise_sql(),
                self._dist_today_sql(now),
                self._dist_orders_sql(),
                self._dist_open_sql(),
                remarkable,
            )
        )
        self.env.execute_query(
            SQL(
                """UPDATE sale_order so
                      SET dist_estimated_ship_date = NULL, dist_risk_score = NULL,
                          dist_risk_level = NULL, dist_risk_reasons = NULL
                    WHERE so.dist_risk_level IS NOT NULL AND NOT %s""",
                self._dist_open_sql(),
            )
        )
        self.env["sale.order"].invalidate_model(
            [
                "dist_promise_date",
                "dist_estimated_ship_date",
                "dist_risk_score",
                "dist_risk_level",
                "dist_risk_reasons",
            ]
        )
