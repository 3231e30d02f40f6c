# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, plaintext2html, split_every

from odoo.addons.dist_approval_matrix.tools import form_action

_logger = logging.getLogger(__name__)

EXCEPTION_TYPES = [
    ("shortage", "Shortage"),
    ("late_receipt", "Late Receipt"),
    ("late_delivery", "Late Delivery"),
    ("unbilled_delivery", "Unbilled Delivery"),
    ("billing_failure", "Billing Failure"),
    ("delivery_issue", "Delivery Issue"),
]
SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
STATES = [
    ("open", "Open"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("dismissed", "Dismissed"),
]
ISSUE_REASONS = [
    ("damaged", "Damaged"),
    ("refused", "Refused by Customer"),
    ("incomplete", "Incomplete"),
    ("address", "Address Problem"),
]
OPEN_STATES = ("open", "in_progress")
DEFAULT_SEVERITY = {
    "shortage": "high",
    "late_receipt": "medium",
    "late_delivery": "medium",
    "unbilled_delivery": "medium",
    "billing_failure": "high",
    "delivery_issue": "high",
}
# Owner when no routing rule names one: a company field, or a link's user.
BILLING_TYPES = ("unbilled_delivery", "billing_failure")
# Exceptions created or resolved per transaction by the scanner.
SCAN_BATCH = 1000
# What was detected and when: only the scanner (or a manager) changes it.
DETECTED_FIELDS = {
    "name",
    "exception_type",
    "res_model",
    "res_id",
    "sale_order_id",
    "purchase_order_id",
    "picking_id",
    "partner_id",
    "company_id",
    "detected_on",
    "resolved_on",
    "condition_active",
    "description",
    "issue_reason",
}


class DistException(models.Model):
    """Something in the order-to-cash flow that needs a person.

    The scanner cron opens and resolves the detected types (at most one open
    exception per type and document); delivery issues are reported by people
    and closed by people.
    """

    _name = "dist.exception"
    _description = "Distribution Exception"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "detected_on desc, id desc"

    name = fields.Char(required=True, readonly=True)
    exception_type = fields.Selection(
        EXCEPTION_TYPES, string="Type", required=True, readonly=True, index=True
    )
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True)
    state = fields.Selection(
        STATES,
        required=True,
        default="open",
        readonly=True,
        index=True,
        tracking=True,
        group_expand=True,
    )
    res_model = fields.Char("Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        "Document ID", model_field="res_model", required=True, readonly=True
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", readonly=True, index="btree_not_null"
    )
    purchase_order_id = fields.Many2one("purchase.order", readonly=True, index="btree_not_null")
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", readonly=True, index="btree_not_null"
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Owner", index=True, tracking=True, domain=[("share", "=", False)]
    )
    detected_on = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    resolved_on = fields.Datetime(readonly=True, help="When the exception was closed.")
    condition_active = fields.Boolean(
        default=True,
        readonly=True,
        help="The scanner still sees the condition; a dismissed exception whose "
        "condition holds stops the scanner from opening a new one.",
    )
    resolution_note = fields.Text(tracking=True)
    description = fields.Text("Facts", readonly=True)
    issue_reason = fields.Selection(ISSUE_REASONS, string="Reason", readonly=True)
    age_days = fields.Integer("Age (days)", compute="_compute_age_days")

    _open_document_uniq = models.UniqueIndex(
        "(exception_type, res_model, res_id) WHERE state IN ('open', 'in_progress')",
        "This document already has an open exception of this type.",
    )
    _scan_idx = models.Index("(exception_type, state, res_model, res_id)")

    @api.depends("detected_on", "resolved_on")
    def _compute_age_days(self):
        now = fields.Datetime.now()
        for exception in self:
            end = exception.resolved_on or now
            exception.age_days = (end - exception.detected_on).days if exception.detected_on else 0

    def write(self, vals):
        if (
            DETECTED_FIELDS.intersection(vals)
            and not self.env.su
            and not self.env.user.has_group("dist_approval_matrix.group_dist_manager")
        ):
            raise AccessError(
                self.env._(
                    "The facts of an exception are recorded by the system: change "
                    "its owner, severity, status or resolution note instead."
                )
            )
        # However an exception is closed (button, wizard, scanner, RPC), the
        # system records when and the owners' activities are done.
        closing = vals.get("state") in ("resolved", "dismissed")
        if closing:
            vals = {**vals, "resolved_on": vals.get("resolved_on") or fields.Datetime.now()}
        res = super().write(vals)
        if closing:
            self.activity_ids.sudo().unlink()
        return res

    @api.constrains("state", "resolution_note")
    def _check_dismiss_note(self):
        for exception in self:
            if exception.state == "dismissed" and not (exception.resolution_note or "").strip():
                raise ValidationError(
                    self.env._(
                        "“%s” cannot be dismissed without a note: say why it needs no action.",
                        exception.name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_start(self):
        self.filtered(lambda e: e.state == "open").write({"state": "in_progress"})
        return True

    def action_resolve(self):
        self._dist_close("resolved")
        return True

    def action_reopen(self):
        closed = self.filtered(lambda e: e.state in ("resolved", "dismissed"))
        for exception in closed:
            if self.search_count(
                [
                    ("exception_type", "=", exception.exception_type),
                    ("res_model", "=", exception.res_model),
                    ("res_id", "=", exception.res_id),
                    ("state", "in", OPEN_STATES),
                ]
            ):
                raise UserError(
                    self.env._(
                        "“%s” cannot be reopened: a newer exception of the same type "
                        "is open for this document; work on that one.",
                        exception.name,
                    )
                )
        closed.check_access("write")
        closed.sudo().write({"state": "open", "resolved_on": False, "condition_active": True})
        return True

    def action_dismiss(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dismiss Exceptions"),
            "res_model": "dist.exception.dismiss",
            "view_mode": "form",
            "target": "new",
            "context": {"default_exception_ids": self.ids},
        }

    def action_open_document(self):
        self.ensure_one()
        return form_action(self.res_model, self.res_id)

    # ------------------------------------------------------------------
    # API for the other models
    # ------------------------------------------------------------------
    @api.model
    def _dist_count_open(self, records, field):
        """Set ``dist_exception_count`` of ``records`` (linked through ``field``)."""
        counts = dict(
            self.sudo()._read_group(
                [(field, "in", records.ids), ("state", "in", OPEN_STATES)], [field], ["__count"]
            )
        )
        for record in records:
            record.dist_exception_count = counts.get(record, 0)

    @api.model
    def _dist_action_for(self, records, field):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dist_order_sync.dist_exception_action"
        )
        action["domain"] = [(field, "in", records.ids)]
        action["context"] = {"search_default_filter_open": 1}
        return action

    @api.model
    def _dist_report(self, exception_type, vals_list):
        """Open an exception per document of ``vals_list`` unless one is open.

        Each vals holds the links (``res_model``, ``res_id``, ``sale_order_id``
        ...) and the facts (``description``); an open exception of the same
        document gets the new facts. Returns the exceptions opened.
        """
        blocking = self._dist_blocking(exception_type)
        new, refresh = [], defaultdict(self.browse)
        for vals in vals_list:
            found = blocking.get((vals["res_model"], vals["res_id"]))
            if found is None:
                new.append(vals)
            elif found[1] in OPEN_STATES and vals.get("description"):
                refresh[vals["description"]] |= self.browse(found[0])
        for description, exceptions in refresh.items():
            exceptions.sudo().write({"description": description})
        return self._dist_open(exception_type, new)

    @api.model
    def _dist_resolve(self, exception_type, documents):
        """Resolve the open exceptions of this type about ``documents``."""
        exceptions = self.sudo().search(
            [
                ("exception_type", "=", exception_type),
                ("res_model", "=", documents._name),
                ("res_id", "in", documents.ids),
                ("state", "in", OPEN_STATES),
            ]
        )
        exceptions._dist_close("resolved", self.env._("Resolved automatically."))

    def _dist_close(self, state, note=None):
        """Close these exceptions; the owners' activities are done."""
        to_close = self.filtered(lambda e: e.state in OPEN_STATES)
        vals = {"state": state}
        if note:
            vals["resolution_note"] = note
        to_close.write(vals)

    @api.model
    def _dist_blocking(self, exception_type):
        """{(res_model, res_id): (id, state)} of the exceptions of this type that
        stop a new one: open ones, and dismissed ones whose condition holds
        (delivery issues are reported by people: a new report is a new issue)."""
        self.flush_model(["exception_type", "state", "condition_active", "res_model", "res_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT res_model, res_id, id, state FROM dist_exception
                    WHERE exception_type = %s
                      AND (state IN %s OR (state = 'dismissed' AND condition_active
                                           AND exception_type != 'delivery_issue'))""",
                exception_type,
                OPEN_STATES,
            )
        )
        return {(model, res_id): (id_, state) for model, res_id, id_, state in rows}

    @api.model
    def _dist_open(self, exception_type, vals_list):
        """Create exceptions with their owner, severity and activity."""
        if not vals_list:
            return self.browse()
        routing = self.env["dist.exception.rule"]._dist_routing(
            {vals["company_id"] for vals in vals_list}
        )
        companies = self.env["res.company"].sudo().browse({v["company_id"] for v in vals_list})
        billing_users = {company.id: company.dist_billing_user_id.id for company in companies}
        type_label = dict(self._fields["exception_type"]._description_selection(self.env))[
            exception_type
        ]
        create_list = []
        for given in vals_list:
            vals = dict(given)
            owner_hint = vals.pop("owner_hint", False)
            document_name = vals.pop("document_name", False)
            rule = routing.get((vals["company_id"], exception_type))
            if rule and rule.user_id:
                owner = rule.user_id.id
            elif exception_type in BILLING_TYPES:
                owner = billing_users.get(vals["company_id"]) or owner_hint
            else:
                owner = owner_hint
            vals.setdefault("user_id", owner or False)
            vals.setdefault(
                "severity",
                (rule and rule.severity) or DEFAULT_SEVERITY[exception_type],
            )
            if not document_name:
                document_name = self.env[vals["res_model"]].browse(vals["res_id"]).display_name
            vals.setdefault("name", f"{type_label}: {document_name}")
            vals["exception_type"] = exception_type
            create_list.append(vals)
        exceptions = (
            self.sudo()
            .with_context(mail_create_nolog=True, tracking_disable=True, mail_notrack=True)
            .create(create_list)
        )
        exceptions._dist_schedule_activities()
        return exceptions

    def _dist_schedule_activities(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": exception.id,
                    "activity_type_id": todo.id,
                    "user_id": exception.user_id.id,
                    "summary": exception.name,
                    "note": plaintext2html(exception.description or ""),
                    "date_deadline": today,
                }
                for exception in self
                if exception.user_id
            ]
        )

    # ------------------------------------------------------------------
    # Scanner
    # ------------------------------------------------------------------
    @api.model
    def _cron_dist_scan(self):
        self._dist_scan(commit=True)

    @api.model
    def _dist_scan(self, commit=False):
        """Open the exceptions whose condition holds, resolve those whose
        condition is gone. With ``commit`` (the cron), commits after each
        batch and stops when the cron runs out of time."""
        progress = self._dist_progress(commit)
        detectors = self._dist_detectors()
        self.env.flush_all()
        progress(remaining=len(detectors))
        now = fields.Datetime.now()
        for detect in detectors:
            for exception_type, found in detect(now).items():
                if not self._dist_sync(exception_type, found, progress):
                    return False
            if not progress(1):
                return False
        return True

    @api.model
    def _dist_progress(self, commit):
        """The cron's progress function, or one that neither commits nor stops."""
        if commit:
            return self.env["ir.cron"]._commit_progress
        return lambda processed=0, **kwargs: float("inf")

    @api.model
    def _dist_detectors(self):
        """Functions of the scan time returning {exception type: {key: vals}}."""
        return [
            self._dist_detect_supply,
            self._dist_detect_late_delivery,
            self._dist_detect_billing,
        ]

    @api.model
    def _dist_sync(self, exception_type, found, progress):
        """Make the exceptions of one type match ``found`` ({key: vals}).

        :return: False when the cron ran out of time
        """
        blocking = self._dist_blocking(exception_type)
        new = [vals for key, vals in found.items() if key not in blocking]
        gone = [id_ for key, (id_, __) in blocking.items() if key not in found]
        for batch in split_every(SCAN_BATCH, new):
            self._dist_open(exception_type, list(batch))
            if not progress():
                return False
        for batch in split_every(SCAN_BATCH, gone):
            self._dist_condition_ended(self.browse(batch))
            if not progress():
                return False
        return True

    def _dist_condition_ended(self, exceptions):
        """Open exceptions are resolved; dismissed ones just note the end."""
        exceptions = exceptions.sudo()
        exceptions.filtered(lambda e: e.state in OPEN_STATES)._dist_close(
            "resolved", self.env._("Resolved automatically: the condition no longer holds.")
        )
        exceptions.write({"condition_active": False})

    def _dist_picking_rows(self, where, *params):
        """Outgoing-side facts of the transfers matching ``where``, as vals."""
        return self.env.execute_query_dict(
            SQL(
                """SELECT p.id, p.name, p.sale_id AS order_id, p.company_id, p.scheduled_date,
                          p.dist_billing_due, p.dist_billing_error,
                          c.dist_unbilled_delay AS delay,
                          COALESCE(p.user_id, so.user_id) AS owner_hint,
                          COALESCE(so_partner.commercial_partner_id,
                                   partner.commercial_partner_id) AS partner_id
                     FROM stock_picking p
                     JOIN stock_picking_type t ON t.id = p.picking_type_id
                LEFT JOIN sale_order so ON so.id = p.sale_id
                LEFT JOIN res_partner so_partner ON so_partner.id = so.partner_id
                LEFT JOIN res_partner partner ON partner.id = p.partner_id
                     JOIN res_company c ON c.id = p.company_id
                    WHERE %s""",
                SQL(where, *params),
            )
        )

    @api.model
    def _dist_picking_vals(self, row, description):
        return self._dist_row_vals(
            "stock.picking", row["id"], row["name"], row, description, picking_id=row["id"]
        )

    @api.model
    def _dist_row_vals(self, res_model, res_id, name, row, description, **links):
        """Vals of an exception about document ``res_model``/``res_id`` named
        ``name``, from a detector's row (order, customer, company, owner)."""
        return {
            "res_model": res_model,
            "res_id": res_id,
            "sale_order_id": row["order_id"],
            "partner_id": row["partner_id"],
            "company_id": row["company_id"],
            "owner_hint": row["owner_hint"],
            "document_name": name,
            "description": description,
            **links,
        }

    @api.model
    def _dist_detect_late_delivery(self, now):
        rows = self._dist_picking_rows(
            """t.code = 'outgoing' AND p.state IN ('waiting', 'confirmed', 'assigned')
               AND p.scheduled_date + make_interval(hours => c.dist_late_delivery_grace) < %s""",
            now,
        )
        found = {}
        for row in rows:
            late = now - row["scheduled_date"]
            vals = self._dist_picking_vals(
                row,
                self.env._(
                    "Scheduled on %(date)s, not done %(days)s day(s) later.",
                    date=fields.Datetime.to_string(row["scheduled_date"]),
                    days=late.days,
                ),
            )
            if late > timedelta(days=7):
                vals["severity"] = "high"
            found["stock.picking", row["id"]] = vals
        return {"late_delivery": found}

    @api.model
    def _dist_detect_billing(self, now):
        """Unbilled deliveries (due for longer than the company's delay) and
        billing failures (the last attempt left an error)."""
        rows = self._dist_picking_rows(
            """p.dist_billing_state IN ('to_bill', 'failed')
               AND (p.dist_billing_error IS NOT NULL
                    OR p.dist_billing_due + make_interval(hours => c.dist_unbilled_delay) <= %s)""",
            now,
        )
        unbilled, failures = {}, {}
        for row in rows:
            key = ("stock.picking", row["id"])
            if row["dist_billing_error"]:
                failures[key] = self._dist_picking_vals(row, row["dist_billing_error"])
            if row["dist_billing_due"] + timedelta(hours=row["delay"]) <= now:
                unbilled[key] = self._dist_picking_vals(
                    row,
                    self.env._(
                        "Done and due for billing since %(date)s, still not billed.",
                        date=fields.Datetime.to_string(row["dist_billing_due"]),
                    ),
                )
        return {"unbilled_delivery": unbilled, "billing_failure": failures}

    # Shortage and late receipts: one pass over supply and demand -----------
    @api.model
    def _dist_detect_supply(self, now):
        """Shortages and late receipts of confirmed sales orders.

        A sales move that cannot be reserved waits for supply: the free stock
        of its warehouse, then the pending receipts into that warehouse in date
        order, shared among the waiting moves in deadline order (the
        commitment date, else the transfer's scheduled date). The receipt that
        completes a move's quantity is the receipt its order depends on:

        - shortage: no receipt completes it, or it arrives after the deadline;
        - late receipt: that receipt is scheduled after the deadline or is
          overdue; so is any pending supplier receipt chained to the order's
          moves (make-to-order).
        """
        demand = self.env.execute_query_dict(
            SQL(
                """SELECT m.id, m.product_id, l.warehouse_id, so.id AS order_id,
                          so.name AS order_name, so.user_id AS owner_hint, so.company_id,
                          partner.commercial_partner_id AS partner_id, m.picking_id,
                          COALESCE(so.commitment_date, p.scheduled_date, m.date) AS deadline,
                          m.product_qty * (1 - LEAST(COALESCE(m.quantity, 0)
                              / NULLIF(m.product_uom_qty, 0), 1)) AS missing
                     FROM stock_move m
                     JOIN sale_order_line sol ON sol.id = m.sale_line_id
                     JOIN sale_order so ON so.id = sol.order_id
                     JOIN res_partner partner ON partner.id = so.partner_id
                     JOIN stock_location l ON l.id = m.location_id
                LEFT JOIN stock_picking p ON p.id = m.picking_id
                    WHERE m.state IN ('confirmed', 'partially_available')
                      AND so.state = 'sale' AND l.usage = 'internal'
                      AND m.product_uom_qty > 0"""
            )
        )
        products = list({row["product_id"] for row in demand})
        free = defaultdict(float)
        supply = defaultdict(list)
        if products:
            for product, warehouse, quantity in self.env.execute_query(
                SQL(
                    """SELECT q.product_id, l.warehouse_id, SUM(q.quantity - q.reserved_quantity)
                         FROM stock_quant q
                         JOIN stock_location l ON l.id = q.location_id
                        WHERE l.usage = 'internal' AND q.product_id = ANY(%s)
                     GROUP BY 1, 2""",
                    products,
                )
            ):
                free[product, warehouse] = quantity
            for row in self._dist_pending_receipts(SQL("m.product_id = ANY(%s)", products)):
                supply[row["product_id"], row["warehouse_id"]].append(row)
        shortages, late = {}, {}
        by_stock = defaultdict(list)
        for row in demand:
            by_stock[row["product_id"], row["warehouse_id"]].append(row)
        for key, moves in by_stock.items():
            moves.sort(key=lambda r: (r["deadline"], r["id"]))
            receipts = sorted(supply[key], key=lambda r: (r["date"], r["id"]))
            in_stock = available = max(free[key], 0.0)
            index, need, last = 0, 0.0, None
            for move in moves:
                need += move["missing"]
                while available < need and index < len(receipts):
                    last = receipts[index]
                    available += last["product_qty"]
                    index += 1
                if available < need:
                    self._dist_add_order(shortages, move, self.env._("No supply in sight."))
                    continue
                receipt = last if need > in_stock else None
                if not receipt:
                    continue
                if receipt["date"] > move["deadline"]:
                    self._dist_add_order(
                        shortages,
                        move,
                        self.env._(
                            "Supply expected on %(date)s, after the %(deadline)s deadline.",
                            date=fields.Datetime.to_string(receipt["date"]),
                            deadline=fields.Datetime.to_string(move["deadline"]),
                        ),
                    )
                if receipt["date"] > move["deadline"] or receipt["date"] < now:
                    self._dist_add_late_receipt(late, move, receipt, now)
        for row in self._dist_chained_receipts():
            if row["date"] > row["deadline"] or row["date"] < now:
                self._dist_add_late_receipt(late, row, row, now)
        return {"shortage": shortages, "late_receipt": late}

    @api.model
    def _dist_pending_receipts(self, where):
        """Pending moves bringing goods into a warehouse from outside it."""
        return self.env.execute_query_dict(
            SQL(
                """SELECT m.id, m.product_id, dest.warehouse_id, m.date, m.product_qty,
                          m.picking_id, p.name AS picking_name, pol.order_id AS purchase_id
                     FROM stock_move m
                     JOIN stock_location dest ON dest.id = m.location_dest_id
                     JOIN stock_location src ON src.id = m.location_id
                LEFT JOIN stock_picking p ON p.id = m.picking_id
                LEFT JOIN purchase_order_line pol ON pol.id = m.purchase_line_id
                    WHERE m.state NOT IN ('draft', 'done', 'cancel')
                      AND dest.usage = 'internal' AND src.usage != 'internal'
                      AND dest.warehouse_id IS NOT NULL AND %s""",
                where,
            )
        )

    @api.model
    def _dist_chained_receipts(self):
        """Pending supplier receipts chained (make-to-order) to open sales moves."""
        return self.env.execute_query_dict(
            SQL(
                """WITH RECURSIVE chain(receipt_id, move_id, depth) AS (
                        SELECT m.id, m.id, 0
                          FROM stock_move m
                          JOIN stock_location src ON src.id = m.location_id
                         WHERE m.state NOT IN ('draft', 'done', 'cancel')
                           AND src.usage = 'supplier'
                     UNION ALL
                        SELECT chain.receipt_id, rel.move_dest_id, chain.depth + 1
                          FROM chain
                          JOIN stock_move_move_rel rel ON rel.move_orig_id = chain.move_id
                         WHERE chain.depth < 5
                   )
                   SELECT DISTINCT ON (so.id, receipt.id)
                          so.id AS order_id, so.name AS order_name, so.user_id AS owner_hint,
                          so.company_id, partner.commercial_partner_id AS partner_id,
                          COALESCE(so.commitment_date, p.scheduled_date, dest.date) AS deadline,
                          receipt.date, receipt.picking_id, rp.name AS picking_name,
                          pol.order_id AS purchase_id
                     FROM chain
                     JOIN stock_move dest ON dest.id = chain.move_id
                     JOIN stock_move receipt ON receipt.id = chain.receipt_id
                     JOIN sale_order_line sol ON sol.id = dest.sale_line_id
                     JOIN sale_order so ON so.id = sol.order_id AND so.state = 'sale'
                     JOIN res_partner partner ON partner.id = so.partner_id
                LEFT JOIN stock_picking p ON p.id = dest.picking_id
                LEFT JOIN stock_picking rp ON rp.id = receipt.picking_id
                LEFT JOIN purchase_order_line pol ON pol.id = receipt.purchase_line_id
                    WHERE dest.state NOT IN ('done', 'cancel')
                 ORDER BY so.id, receipt.id"""
            )
        )

    @api.model
    def _dist_add_order(self, found, row, fact):
        vals = found.get(("sale.order", row["order_id"]))
        if vals is None:
            vals = found["sale.order", row["order_id"]] = self._dist_row_vals(
                "sale.order", row["order_id"], row["order_name"], row, fact
            )
            vals["picking_id"] = row["picking_id"]
        elif fact not in vals["description"]:
            vals["description"] += "\n" + fact

    @api.model
    def _dist_add_late_receipt(self, found, order_row, receipt, now):
        if receipt["date"] < now:
            fact = self.env._(
                "Receipt %(receipt)s was expected on %(date)s and has not arrived.",
                receipt=receipt["picking_name"] or "",
                date=fields.Datetime.to_string(receipt["date"]),
            )
        else:
            fact = self.env._(
                "Receipt %(receipt)s is scheduled on %(date)s, after the %(deadline)s deadline.",
                receipt=receipt["picking_name"] or "",
                date=fields.Datetime.to_string(receipt["date"]),
                deadline=fields.Datetime.to_string(order_row["deadline"]),
            )
        key = ("sale.order", order_row["order_id"])
        new = key not in found
        self._dist_add_order(found, order_row, fact)
        if new:
            found[key]["picking_id"] = receipt["picking_id"]
            found[key]["purchase_order_id"] = receipt["purchase_id"]

    # ------------------------------------------------------------------
    # Digest
    # ------------------------------------------------------------------
    @api.model
    def _cron_dist_digest(self):
        """E-mail each owner the list of their open exceptions (companies
        that enabled the digest)."""
        companies = self.env["res.company"].sudo().search([("dist_exception_digest", "=", True)])
        if not companies:
            return
        groups = self.sudo()._read_group(
            [
                ("company_id", "in", companies.ids),
                ("state", "in", OPEN_STATES),
                ("user_id", "!=", False),
            ],
            ["user_id"],
            ["id:array_agg"],
        )
        mails = []
        for user, ids in groups:
            if not user.email:
                continue
            exceptions = self.sudo().browse(ids).sorted(lambda e: (e.exception_type, e.detected_on))
            body = self.env["ir.qweb"]._render(
                "dist_order_sync.dist_exception_digest",
                {"user": user, "exceptions": exceptions},
                lang=user.lang,
            )
            mails.append(
                {
                    "subject": self.with_context(lang=user.lang).env._(
                        "%(count)s open exceptions", count=len(exceptions)
                    ),
                    "body_html": body,
                    "email_to": user.email_formatted,
                    "author_id": self.env.ref("base.partner_root").id,
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(mails)
