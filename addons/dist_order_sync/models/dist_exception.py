# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

EXCEPTION_TYPES = [
    ("shortage", "Shortage"),
    ("late_receipt", "Late Receipt"),
    ("late_delivery", "Late Delivery"),
    ("unbilled_delivery", "Unbilled Delivery"),
    ("billing_failure", "Billing Failure"),
    ("delivery_issue", "Delivery Issue"),
    ("at_risk", "Order at Risk"),
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
    "at_risk": "high",
}
# Owner when no routing rule names one: a company field, or a link's user.
BILLING_TYPES = ("unbilled_delivery", "billing_failure")
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
    "dist_replenishment_ids",
}


class DistException(models.Model):
    """Something in the order-to-cash flow that needs a person.

    The scanner cron opens and resolves the detected types (at most one open
    exception per type and document); delivery issues are reported by people
    and closed by people.
    """

    _name = "dist.exception"
    _description = "Distribution Exception"
    _inherit = ["mail.thread", "dist.activity.mixin"]
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
    # Replenishment of a shortage or an order at risk (dist.replenishment).
    dist_replenishment_ids = fields.Many2many(
        "purchase.order.line",
        "dist_exception_replenishment_rel",
        "exception_id",
        "purchase_line_id",
        string="Replenishment",
        readonly=True,
        copy=False,
        groups="purchase.group_purchase_user",
        help="Purchase lines ordered for this exception's order.",
    )
    dist_incoming = fields.Text(
        "Incoming",
        compute="_compute_dist_incoming",
        help="What was ordered for this exception, and when it is expected.",
    )

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

    @api.depends("dist_replenishment_ids")
    def _compute_dist_incoming(self):
        for exception in self:
            lines = exception.sudo().dist_replenishment_ids
            exception.dist_incoming = "\n".join(
                self.env._(
                    "%(rfq)s (%(state)s, %(vendor)s): %(quantity)s %(uom)s %(product)s, "
                    "expected %(date)s",
                    rfq=line.order_id.name,
                    state=dict(line.order_id._fields["state"]._description_selection(self.env))[
                        line.order_id.state
                    ],
                    vendor=line.order_id.partner_id.display_name,
                    quantity=line.product_qty,
                    uom=line.product_uom_id.name,
                    product=line.product_id.display_name,
                    date=fields.Date.to_string(
                        fields.Date.context_today(exception, line.date_planned)
                    ),
                )
                for line in lines
            )

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
        blocked = self.search(
            Domain.OR(
                [
                    ("exception_type", "=", exception.exception_type),
                    ("res_model", "=", exception.res_model),
                    ("res_id", "=", exception.res_id),
                ]
                for exception in closed
            )
            & Domain("state", "in", OPEN_STATES),
            limit=1,
        )
        if blocked:
            raise UserError(
                self.env._(
                    "“%s” cannot be reopened: a newer exception of the same type "
                    "is open for this document; work on that one.",
                    closed.filtered(
                        lambda e: (
                            (e.exception_type, e.res_model, e.res_id)
                            == (blocked.exception_type, blocked.res_model, blocked.res_id)
                        )
                    )[:1].name,
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
        return self.env[self.res_model].browse(self.res_id).get_formview_action()

    def action_dist_replenish(self):
        """Order the missing quantity of these shortages or orders at risk from
        the products' vendors (a new or an open request for quotation)."""
        self.check_access("write")
        Replenishment = self.env["dist.replenishment"]
        Replenishment._dist_check_access()
        lines = Replenishment.sudo()._dist_replenish(self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Replenishment requested"),
                "message": ", ".join(
                    f"{line.order_id.name}: {line.product_id.display_name}" for line in lines
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # API for the other models
    # ------------------------------------------------------------------
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
    def _dist_refresh_facts(self, exception_type, facts):
        """Give the open exceptions of this type the current facts of their
        document (``facts``: {(res_model, res_id): description}), in one
        statement for those whose facts changed."""
        if not facts:
            return
        self.flush_model(["description"])
        self.env.execute_query(
            SQL(
                """UPDATE dist_exception e SET description = v.description
                     FROM unnest(%s::varchar[], %s::int[], %s::text[])
                          AS v(res_model, res_id, description)
                    WHERE e.exception_type = %s AND e.state IN %s
                      AND e.res_model = v.res_model AND e.res_id = v.res_id
                      AND e.description IS DISTINCT FROM v.description""",
                [model for model, __ in facts],
                [res_id for __, res_id in facts],
                list(facts.values()),
                exception_type,
                OPEN_STATES,
            )
        )
        self.invalidate_model(["description"])

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
        default_owners = {company.id: company.dist_exception_user_id.id for company in companies}
        type_label = dict(self._fields["exception_type"]._description_selection(self.env))[
            exception_type
        ]
        create_list, followers = [], []
        for given in vals_list:
            vals = dict(given)
            owner_hint = vals.pop("owner_hint", False)
            followers.append(vals.pop("follower_user_ids", []))
            document_name = vals.pop("document_name", False)
            rule = routing.get((vals["company_id"], exception_type))
            if rule and rule.user_id:
                owner = rule.user_id.id
            elif exception_type in BILLING_TYPES:
                owner = billing_users.get(vals["company_id"]) or owner_hint
            else:
                owner = owner_hint
            # Nobody's queue is nobody's job: the company's default owner.
            vals.setdefault("user_id", owner or default_owners.get(vals["company_id"]) or False)
            vals.setdefault(
                "severity",
                (rule and rule.severity) or DEFAULT_SEVERITY.get(exception_type, "medium"),
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
        for exception, user_ids in zip(exceptions, followers, strict=True):
            users = self.env["res.users"].browse(user_ids) - exception.user_id
            if users:
                exception.message_subscribe(partner_ids=users.partner_id.ids)
        today = fields.Date.context_today(self)
        exceptions._dist_schedule_activities(
            [(e, e.user_id, e.name, e.description, today) for e in exceptions]
        )
        return exceptions
