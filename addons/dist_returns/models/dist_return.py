# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL

RETURN_STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("received", "Received"),
    ("done", "Done"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
RESOLUTIONS = [("refund", "Refund"), ("replace", "Replace")]
# Returns whose authorized quantities are still expected from the customer.
AUTHORIZED_STATES = ("to_approve", "approved")
# What the system records on a return: only its own code paths write it.
SYSTEM_FIELDS = frozenset(
    {
        "state",
        "date_submitted",
        "date_approved",
        "date_received",
        "resolved_on",
        "resolve_requested",
        "close_note",
        "return_picking_ids",
        "replacement_picking_ids",
        "operation_picking_ids",
    }
)
# What the customer asked for: fixed once the return is submitted.
REQUEST_FIELDS = frozenset({"partner_id", "company_id", "sale_order_id", "picking_id", "line_ids"})
# How the return is resolved: fixed once the resolution is requested.
RESOLUTION_FIELDS = frozenset({"resolution", "ship_back_rejected"})


class DistReturn(models.Model):
    """A return authorization (RMA): what a customer may send back, why, and
    what happens to it.

    Submitting passes the approval matrix (document type ``return``); the
    authorization creates the return transfer with Odoo's own return wizard
    into the warehouse's returns location; its validation is the receipt.
    After inspection, ``action_resolve`` disposes of the goods (restock,
    scrap, return to vendor), ships rejected units back, then credits the
    accepted quantities through the billing engine or ships a replacement.
    """

    _name = "dist.return"
    _description = "Return Authorization"
    _inherit = [
        "mail.thread",
        "dist.activity.mixin",
        "dist.approval.mixin",
        "dist.exception.link.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _dist_approval_type = "return"
    _dist_approval_done_state = "approved"
    _dist_approval_watched_fields = frozenset({"line_ids", "partner_id", "sale_order_id"})
    _dist_exception_field = "dist_return_id"

    name = fields.Char(
        "Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    state = fields.Selection(
        RETURN_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        "Sales Order",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('state', '=', 'sale'), ('partner_id.commercial_partner_id', '=', "
        "commercial_partner_id)]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        "Original Delivery",
        index="btree_not_null",
        check_company=True,
        domain="[('sale_id', '=', sale_order_id), ('state', '=', 'done'), "
        "('picking_type_code', '=', 'outgoing')]",
        help="The delivery the goods come from; empty: any delivery of the order.",
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket", index="btree_not_null", tracking=True, check_company=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", compute="_compute_warehouse_id", store=True, index=True
    )
    location_id = fields.Many2one(
        "stock.location", "Returns Location", compute="_compute_warehouse_id", store=True
    )
    line_ids = fields.One2many("dist.return.line", "return_id", "Lines", copy=True)
    resolution = fields.Selection(
        RESOLUTIONS,
        required=True,
        default="refund",
        tracking=True,
        help="Refund: a credit note for the accepted quantities at the original invoice "
        "prices.\nReplace: a replacement delivery of the accepted quantities on the order.",
    )
    ship_back_rejected = fields.Boolean(
        "Ship Rejected Units Back",
        default=True,
        help="Rejected units go back to the customer on a delivery of the order "
        "(they count as delivered again). Untick to keep them in the returns location.",
    )
    note = fields.Html("Internal Notes")
    date_submitted = fields.Datetime("Submitted On", readonly=True, copy=False)
    date_approved = fields.Datetime("Authorized On", readonly=True, copy=False, index=True)
    date_received = fields.Datetime("Received On", readonly=True, copy=False)
    resolved_on = fields.Datetime(readonly=True, copy=False, index=True)
    resolve_requested = fields.Boolean(
        readonly=True, copy=False, help="Resolution started: the credit note is on its way."
    )
    close_note = fields.Text(
        "Receipt Closed Because", readonly=True, copy=False, help="Why the rest was not received."
    )

    return_picking_ids = fields.One2many(
        "stock.picking",
        "dist_return_id",
        "Return Transfers",
        domain=[("dist_return_role", "=", "receipt")],
        readonly=True,
        copy=False,
    )
    replacement_picking_ids = fields.One2many(
        "stock.picking",
        "dist_return_id",
        "Replacement Deliveries",
        domain=[("dist_return_role", "=", "replacement")],
        readonly=True,
        copy=False,
    )
    operation_picking_ids = fields.One2many(
        "stock.picking",
        "dist_return_id",
        "Disposition Transfers",
        domain=[("dist_return_role", "in", ("restock", "vendor", "ship_back"))],
        readonly=True,
        copy=False,
    )
    disposition_ids = fields.One2many("dist.return.disposition", "return_id", readonly=True)
    credit_note_ids = fields.Many2many(
        "account.move", string="Credit Notes", compute="_compute_credit_note_ids", compute_sudo=True
    )
    picking_count = fields.Integer("Transfers", compute="_compute_counts")
    credit_note_count = fields.Integer(compute="_compute_credit_note_ids", compute_sudo=True)
    credit_note_summary = fields.Char(
        "Credit", compute="_compute_credit_note_ids", compute_sudo=True
    )
    attachment_ids = fields.One2many(
        "ir.attachment",
        "res_id",
        domain=[("res_model", "=", "dist.return")],
        string="Attachments",
        readonly=True,
    )
    attachment_count = fields.Integer("Evidence Count", compute="_compute_counts")
    amount_untaxed = fields.Monetary(
        "Value",
        compute="_compute_amount_untaxed",
        currency_field="currency_id",
        help="Authorized quantities at the original invoice's net prices, in company currency.",
    )
    billing_error = fields.Text(compute="_compute_billing_error")
    dist_exception_ids = fields.One2many("dist.exception", "dist_return_id", readonly=True)

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "picking_id.picking_type_id.warehouse_id",
        "sale_order_id.warehouse_id",
        "sale_order_id.warehouse_id.dist_return_location_id",
        "picking_id.picking_type_id.warehouse_id.dist_return_location_id",
    )
    def _compute_warehouse_id(self):
        for record in self:
            warehouse = (
                record.picking_id.picking_type_id.warehouse_id or record.sale_order_id.warehouse_id
            )
            record.warehouse_id = warehouse
            record.location_id = warehouse.dist_return_location_id

    @api.depends("return_picking_ids.move_ids.dist_invoice_line_ids.move_id.state")
    def _compute_credit_note_ids(self):
        for record in self:
            sudo = record.sudo()
            notes = sudo.return_picking_ids.dist_invoice_ids.filtered(
                lambda m: m.move_type == "out_refund" and m.state != "cancel"
            )
            record.credit_note_ids = notes.ids
            record.credit_note_count = len(notes)
            record.credit_note_summary = ", ".join(
                f"{note.name or note.display_name} ({note._dist_amount_text()})" for note in notes
            )

    @api.depends("return_picking_ids", "replacement_picking_ids", "operation_picking_ids")
    def _compute_counts(self):
        counts = dict(
            self.env["ir.attachment"]
            .sudo()
            ._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for record in self:
            sudo = record.sudo()
            record.picking_count = len(
                sudo.return_picking_ids | sudo.replacement_picking_ids | sudo.operation_picking_ids
            )
            record.attachment_count = counts.get(record.id, 0)

    @api.depends("line_ids.quantity", "line_ids.sale_line_id")
    def _compute_amount_untaxed(self):
        values = self.line_ids._dist_unit_values()
        for record in self:
            record.amount_untaxed = record.currency_id.round(
                sum(values.get(line, 0.0) * line.quantity for line in record.line_ids)
            )

    @api.depends("return_picking_ids.dist_billing_error")
    def _compute_billing_error(self):
        for record in self:
            errors = record.sudo().return_picking_ids.filtered(
                lambda p: p.dist_billing_state in ("to_bill", "failed") and p.dist_billing_error
            )
            record.billing_error = (
                "\n".join(f"{p.name}: {p.dist_billing_error}" for p in errors) or False
            )

    # ------------------------------------------------------------------
    # CRUD and guards
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = vals.get("company_id") or self.env.company.id
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("dist.return") or "/"
                )
            self._dist_fill_from_source(vals)
        records = super().create(vals_list)
        records._dist_check_company_of_source()
        return records

    @api.model
    def _dist_fill_from_source(self, vals):
        """An order or a delivery alone says who the customer is."""
        if vals.get("picking_id") and not vals.get("sale_order_id"):
            picking = self.env["stock.picking"].browse(vals["picking_id"])
            vals["sale_order_id"] = picking.sudo().sale_id.id
        if vals.get("sale_order_id") and not vals.get("partner_id"):
            order = self.env["sale.order"].browse(vals["sale_order_id"]).sudo()
            vals["partner_id"] = order.partner_id.id
            vals.setdefault("company_id", order.company_id.id)

    def _dist_check_company_of_source(self):
        for record in self.sudo():
            order = record.sale_order_id
            if order.partner_id.commercial_partner_id != record.commercial_partner_id:
                raise UserError(
                    self.env._(
                        "%(order)s is an order of %(customer)s, not of %(partner)s: choose "
                        "one of %(partner)s's orders.",
                        order=order.name,
                        customer=order.partner_id.commercial_partner_id.display_name,
                        partner=record.commercial_partner_id.display_name,
                    )
                )
            if record.picking_id and record.picking_id.sale_id != order:
                raise UserError(
                    self.env._(
                        "%(picking)s does not deliver %(order)s: choose a delivery of that order.",
                        picking=record.picking_id.name,
                        order=order.name,
                    )
                )

    def write(self, vals):
        if REQUEST_FIELDS & set(vals) and not self._dist_is_system():
            submitted = self.filtered(lambda r: r.state != "draft")
            if submitted:
                raise UserError(
                    self.env._(
                        "%(returns)s: the customer, the order and the lines of a return "
                        "are fixed once it is submitted; cancel it and create a new one "
                        "to change them.",
                        returns=", ".join(submitted.mapped("name")),
                    )
                )
        if RESOLUTION_FIELDS & set(vals) and not self._dist_is_system():
            decided = self.filtered(
                lambda r: r.resolve_requested or r.state in ("done", "rejected", "cancelled")
            )
            if decided:
                raise UserError(
                    self.env._(
                        "%(returns)s: the resolution is fixed once it is requested; a "
                        "failed credit note is retried as it is.",
                        returns=", ".join(decided.mapped("name")),
                    )
                )
        res = super().write(vals)
        if {"partner_id", "sale_order_id", "picking_id"} & set(vals):
            self._dist_check_company_of_source()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(r.state not in ("draft", "cancelled") for r in self):
            raise UserError(
                self.env._(
                    "Only draft or cancelled returns can be deleted; cancel the others "
                    "instead (they are kept for the record)."
                )
            )

    def _dist_protected_field_names(self):
        return super()._dist_protected_field_names() | SYSTEM_FIELDS

    def _dist_protected_error(self, field_names):
        if not field_names & SYSTEM_FIELDS:
            return super()._dist_protected_error(field_names)
        return UserError(
            self.env._(
                "The status, dates and transfers of a return are set by its workflow "
                "(%(fields)s): use Submit, the approvers' decisions, the validation of "
                "the return transfer, Resolve or Cancel.",
                fields=", ".join(
                    self._fields[name]._description_string(self.env) for name in sorted(field_names)
                ),
            )
        )

    def _dist_write(self, vals):
        """Write what the workflow records (state, dates, links)."""
        return self._dist_as_system().sudo().write(vals)

    # ------------------------------------------------------------------
    # Lines from what was delivered
    # ------------------------------------------------------------------
    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        if self.picking_id.sale_id:
            self.sale_order_id = self.picking_id.sale_id

    @api.onchange("sale_order_id", "picking_id")
    def _onchange_dist_source(self):
        if self.state != "draft":
            return
        if self.sale_order_id and (
            self.sale_order_id.partner_id.commercial_partner_id != self.commercial_partner_id
        ):
            self.partner_id = self.sale_order_id.partner_id
        self.line_ids = [Command.clear()] + [
            Command.create(vals) for vals in self._dist_prefill_line_vals()
        ]

    def _dist_prefill_line_vals(self):
        """Lines for what the order (or the delivery) delivered and may come back.

        One line per order line (per lot for tracked products), quantity 0:
        the user keeps the lines being returned and sets their quantities.
        """
        self.ensure_one()
        order = self.sale_order_id.sudo()
        if not order:
            return []
        source = self.picking_id.sudo().move_ids if self.picking_id else order.order_line.move_ids
        moves = source.filtered(
            lambda m: (
                m.state == "done"
                and m.sale_line_id.order_id == order
                and m.location_dest_usage == "customer"
            )
        )
        sale_lines = moves.sale_line_id.sorted(lambda line: (line.sequence, line.id))
        returnable = sale_lines._dist_returnable_quantities(exclude=self._origin)
        moves_of = moves.grouped("sale_line_id")
        vals_list = []
        for line in sale_lines:
            if line.product_uom_id.compare(returnable[line.id]["returnable"], 0.0) <= 0:
                continue
            lots = moves_of[line].move_line_ids.lot_id
            for lot in lots if line.product_id.tracking != "none" and lots else [lots[:0]]:
                vals_list.append(
                    {
                        "sale_line_id": line.id,
                        "product_id": line.product_id.id,
                        "lot_id": lot.id,
                        "quantity": 0.0,
                    }
                )
        return vals_list

    @api.model
    def _dist_create_draft(self, order=None, picking=None, ticket=None):
        """A draft return of ``order`` (or ``picking``), its lines prefilled."""
        order = order or picking.sale_id
        vals = {
            "sale_order_id": order.id,
            "picking_id": picking.id if picking else False,
            "ticket_id": ticket.id if ticket else False,
        }
        if ticket and ticket.partner_id.commercial_partner_id == (
            order.sudo().partner_id.commercial_partner_id
        ):
            vals["partner_id"] = ticket.partner_id.id
        record = self.create(vals)
        line_vals = record._dist_prefill_line_vals()
        if not line_vals:
            raise UserError(
                self.env._(
                    "%(document)s has nothing left to return: every delivered unit is "
                    "already returned or on another return.",
                    document=(picking or order).display_name,
                )
            )
        record.line_ids = [Command.create(vals) for vals in line_vals]
        return record

    # ------------------------------------------------------------------
    # Submission: checks, cap, approval
    # ------------------------------------------------------------------
    def action_submit(self):
        """Submit drafts: approved at once, or sent to the approvers the matrix names.

        Returns True, or a notification naming what waits for approval.
        """
        # Their writes are the system's: who may change returns may run them.
        self.check_access("write")
        not_draft = self.filtered(lambda r: r.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "Only draft returns can be submitted: %(returns)s.",
                    returns=", ".join(f"{r.name} ({r._dist_state_label()})" for r in not_draft),
                )
            )
        self._dist_drop_empty_lines()
        self._dist_check_submittable()
        self.line_ids.sale_line_id._dist_lock_for_return()
        self._dist_check_returnable()
        now = fields.Datetime.now()
        self._dist_write({"date_submitted": now})
        result = self._dist_run_gated(self, lambda returns: returns._dist_authorize())
        held = self.filtered(lambda r: r.approval_state == "pending")
        if held:
            held._dist_write({"state": "to_approve"})
        self.line_ids.sale_line_id._dist_refresh_return_authorized()
        return result

    def _dist_drop_empty_lines(self):
        empty = self.line_ids.filtered(lambda line: line.product_uom_id.is_zero(line.quantity))
        if empty and empty != self.line_ids:
            empty._dist_as_system().unlink()

    def _dist_check_submittable(self):
        errors = []
        for record in self:
            lines = record.line_ids
            if not lines or all(line.product_uom_id.is_zero(line.quantity) for line in lines):
                errors.append(
                    self.env._("%(rma)s: set the quantity of at least one line.", rma=record.name)
                )
                continue
            for line in lines.filtered(lambda line: not line.reason_id):
                errors.append(
                    self.env._(
                        "%(rma)s: give the reason of the return of %(product)s.",
                        rma=record.name,
                        product=line.product_id.display_name,
                    )
                )
        errors += self._dist_missing_evidence()
        if errors:
            raise UserError("\n".join(errors))

    def _dist_missing_evidence(self):
        """The attachments the lines' reasons want before the return is submitted
        (those the approval rules want, the matrix asks for itself)."""
        attached = {
            res_id
            for [res_id] in self.env["ir.attachment"]
            .sudo()
            ._read_group([("res_model", "=", self._name), ("res_id", "in", self.ids)], ["res_id"])
        }
        return [
            self.env._(
                "%(rma)s: attach %(what)s (reason “%(reason)s”) before submitting.",
                rma=record.name,
                what=reason._dist_evidence_text(),
                reason=reason.name,
            )
            for record in self
            if record.id not in attached
            for reason in record.line_ids.reason_id.filtered("requires_evidence")
        ]

    def _dist_check_returnable(self):
        """The cap: per order line, what was delivered, less what came back and
        what other open returns authorize. Call with the order lines locked."""
        lines = self.line_ids
        returnable = lines.sale_line_id._dist_returnable_quantities(exclude=self)
        asked = defaultdict(float)
        for line in lines:
            asked[line.sale_line_id] += line.quantity
        errors = []
        for sale_line, quantity in asked.items():
            room = returnable[sale_line.id]
            if sale_line.product_uom_id.compare(quantity, room["returnable"]) > 0:
                errors.append(sale_line._dist_cap_message(quantity, room))
        if errors:
            raise UserError("\n".join(errors))

    def _dist_authorize(self):
        """Authorize: the return transfers are created; the customer is told how
        to send the goods back."""
        now = fields.Datetime.now()
        for record in self:
            record._dist_write({"state": "approved", "date_approved": now})
            note = Markup()
            if record.approval_state in (False, "not_required"):
                note = self.env._(
                    "No approval required: no rule of the approval matrix applies to this "
                    "return (value %(value)s). Authorized at once.",
                    value=record._dist_money(record.amount_untaxed),
                ) + Markup("<br/>")
            record._dist_create_return_pickings(note)
        self._dist_notify_customer("dist_returns.mail_template_dist_return_authorized")
        return True

    def _dist_post(self, body):
        self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def _dist_notify_customer(self, template_xmlid):
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        for record in self.filtered(lambda r: r.company_id.dist_return_notify_customer):
            if record.partner_id.email:
                record.sudo().with_context(lang=record.partner_id.lang).message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )

    # ------------------------------------------------------------------
    # Approval matrix hooks
    # ------------------------------------------------------------------
    def _dist_approval_facts(self, needed):
        Facts = self.env["dist.approval.facts"]
        ages = self._dist_delivery_ages() if "delivery_age" in needed else {}
        values = self.line_ids._dist_unit_values() if "amount" in needed else {}
        facts = {}
        for record in self.sudo():
            lines = record.line_ids
            order = record.sale_order_id
            record_facts = Facts._dist_document_facts(
                needed,
                record.partner_id,
                lines,
                record.currency_id,
                record.warehouse_id,
                order.team_id,
            )
            if "amount" in needed:
                record_facts["amount"] = record.currency_id.round(
                    sum(values.get(line, 0.0) * line.quantity for line in lines)
                )
            if "delivery_age" in needed:
                record_facts["delivery_age"] = ages.get(record.id, 0)
            if "return_reasons" in needed:
                record_facts["return_reasons"] = sorted(lines.reason_id.ids)
            facts[record.id] = record_facts
        return facts

    def _dist_delivery_ages(self):
        """{return id: days since the oldest delivery its lines come from}.

        A line comes from the last delivery of its order line (of the return's
        delivery, when it names one). One query for all returns.
        """
        rows = self.env.execute_query(
            SQL(
                """SELECT l.return_id, MIN(d.last_done)
                     FROM dist_return_line l
                     JOIN dist_return r ON r.id = l.return_id
                     JOIN LATERAL (
                          SELECT MAX(m.date) AS last_done
                            FROM stock_move m
                            JOIN stock_location dest ON dest.id = m.location_dest_id
                           WHERE m.sale_line_id = l.sale_line_id AND m.state = 'done'
                             AND dest.usage = 'customer'
                             AND (r.picking_id IS NULL OR m.picking_id = r.picking_id)
                          ) d ON TRUE
                    WHERE l.return_id = ANY(%s) AND d.last_done IS NOT NULL
                 GROUP BY l.return_id""",
                self.ids,
            )
        )
        today = fields.Date.context_today(self)
        return {
            return_id: (today - fields.Date.context_today(self, oldest)).days
            for return_id, oldest in rows
        }

    def _dist_approval_responsible_users(self):
        return self.user_id

    def _dist_approval_is_open(self):
        return self.state in ("draft", "to_approve")

    def _dist_approval_complete(self):
        self.line_ids.sale_line_id._dist_lock_for_return()
        self._dist_check_returnable()
        return self._dist_authorize()

    def _dist_approval_revert(self, reason):
        self._dist_write({"state": "rejected"})
        self.line_ids.sale_line_id._dist_refresh_return_authorized()
        return True

    def _dist_approval_live_facts(self):
        self.ensure_one()
        record = self.sudo()
        days = record._dist_delivery_ages().get(record.id)
        rows = [
            (self.env._("Value"), record._dist_money(record.amount_untaxed)),
            (self.env._("Customer"), record.partner_id.display_name),
            (self.env._("Order"), record.sale_order_id.name),
            (
                self.env._("Delivered"),
                self.env._("%(days)s days ago", days=days) if days is not None else "–",
            ),
        ]
        for line in record.line_ids:
            rows.append(
                (
                    line.product_id.display_name,
                    self.env._(
                        "%(quantity)s %(uom)s – %(reason)s",
                        quantity=line.quantity,
                        uom=line.product_uom_id.name,
                        reason=line.reason_id.name or "–",
                    ),
                )
            )
        return rows

    # ------------------------------------------------------------------
    # Receipt: Odoo's return wizard into the returns location
    # ------------------------------------------------------------------
    def _dist_create_return_pickings(self, note=""):
        """Create the return transfers of an authorized return with Odoo's own
        return wizard, from the deliveries its lines come from; the chatter
        says so after ``note``."""
        self.ensure_one()
        record = self.sudo()
        location = record.warehouse_id._dist_returns_location()
        self.env["stock.return.picking"]._dist_return_transfers(
            record,
            "receipt",
            [
                (move, quantity, line.lot_id)
                for line, move, quantity in record.line_ids._dist_origin_moves()
            ],
            location,
        )
        if record.return_picking_ids:
            note += self.env._(
                "Return transfer %(pickings)s created: the goods are expected in %(location)s.",
                pickings=Markup(", ").join(p._get_html_link() for p in record.return_picking_ids),
                location=location.display_name,
            )
        if note:
            record._dist_post(note)
        return record.return_picking_ids

    def _dist_on_receipt(self):
        """After a return transfer was validated or cancelled: received once
        nothing more is expected."""
        for record in self.filtered(lambda r: r.state == "approved"):
            open_receipts = record.return_picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            )
            if open_receipts:
                continue
            lines = record.line_ids
            if all(line.product_uom_id.is_zero(line.quantity_received) for line in lines):
                record._dist_write({"state": "cancelled"})
                record._dist_post(
                    self.env._("Every return transfer was cancelled: nothing was received.")
                )
                continue
            record._dist_write({"state": "received", "date_received": fields.Datetime.now()})
            # The inspector starts from what came.
            for quantity, same in lines.grouped("quantity_received").items():
                same._dist_as_system().write({"quantity_accepted": quantity})
            short = lines.filtered(
                lambda line: line.product_uom_id.compare(line.quantity_received, line.quantity) < 0
            )
            if short and not record.close_note:
                record._dist_post(
                    self.env._(
                        "Received less than authorized, the rest was closed without a "
                        "backorder: %(lines)s.",
                        lines=", ".join(
                            f"{line.product_id.display_name} "
                            f"{line.quantity_received}/{line.quantity}"
                            for line in short
                        ),
                    )
                )
        self.line_ids.sale_line_id._dist_refresh_return_authorized()

    def action_close_receipt(self):
        """Open the wizard closing what is still expected, with a note."""
        self.ensure_one()
        if self.state != "approved":
            raise UserError(
                self.env._(
                    "%(rma)s is %(state)s: only an authorized return waits for goods.",
                    rma=self.name,
                    state=self._dist_state_label(),
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close the Receipt"),
            "res_model": "dist.return.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_return_id": self.id},
        }

    def _dist_close_receipt(self, note):
        """Stop waiting for the rest: the open return transfers are cancelled."""
        self.ensure_one()
        self._dist_write({"close_note": note})
        self._dist_post(
            self.env._(
                "The rest of the receipt was closed by %(user)s: %(note)s",
                user=self.env.user.name,
                note=note,
            )
        )
        self.sudo().return_picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        ).action_cancel()
        self._dist_on_receipt()
        return True

    # ------------------------------------------------------------------
    # Resolution
    # ------------------------------------------------------------------
    def action_resolve(self):
        """After inspection: dispose of the accepted goods, ship the rejected
        ones back, then credit or replace the accepted quantities. Returns True."""
        if not self.env.su and not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(
                self.env._(
                    "Warehouse users resolve returns (they dispose of the goods); "
                    "ask your warehouse team."
                )
            )
        wrong = self.filtered(lambda r: r.state != "received")
        if wrong:
            raise UserError(
                self.env._(
                    "Only received returns can be resolved: %(returns)s.",
                    returns=", ".join(f"{r.name} ({r._dist_state_label()})" for r in wrong),
                )
            )
        self.line_ids._dist_check_inspection()
        for record in self:
            record._dist_write({"resolve_requested": True})
            record.line_ids._dist_plan_dispositions()
            record.disposition_ids._dist_execute()
            if record.ship_back_rejected:
                record._dist_ship_back_rejected()
            if record.resolution == "replace":
                record._dist_replace()
                record._dist_finish()
            else:
                record._dist_request_credit()
        return True

    def _dist_ship_back_rejected(self):
        """Rejected units back to the customer: Odoo's return of the return
        transfer, counted as delivered again on the order."""
        self.ensure_one()
        if self.operation_picking_ids.filtered(lambda p: p.dist_return_role == "ship_back"):
            return
        shipped = self.env["stock.return.picking"]._dist_return_transfers(
            self,
            "ship_back",
            [
                (move, quantity, None)
                for move, quantity in self.line_ids._dist_receipt_moves_for("quantity_rejected")
            ],
        )
        if shipped:
            self._dist_post(
                self.env._(
                    "Rejected units go back to the customer on %(pickings)s.",
                    pickings=Markup(", ").join(p._get_html_link() for p in shipped),
                )
            )

    def _dist_replace(self):
        """A replacement delivery of the accepted quantities on the order: no
        new order line, nothing to invoice (the order line is delivered again
        what came back)."""
        self.ensure_one()
        if self.replacement_picking_ids:
            return
        procurements = []
        Procurement = self.env["stock.rule"].Procurement
        now = fields.Datetime.now()
        for line in self.line_ids.sudo():
            quantity = line.quantity_accepted
            if line.product_uom_id.is_zero(quantity):
                continue
            sale_line = line.sale_line_id
            values = sale_line._prepare_procurement_values()
            values.update(date_planned=now, date_deadline=now)
            order = sale_line.order_id
            procurements.append(
                Procurement(
                    sale_line.product_id,
                    quantity,
                    sale_line.product_uom_id,
                    order.partner_shipping_id.property_stock_customer,
                    sale_line.product_id.display_name,
                    self.name,
                    order.company_id,
                    values,
                )
            )
        if not procurements:
            return
        env = self.env["stock.picking"]._dist_as_system().sudo().env
        env["stock.rule"].with_context(dist_return_replacement_id=self.id).run(procurements)
        self.invalidate_recordset(["replacement_picking_ids"])
        if self.replacement_picking_ids:
            self._dist_post(
                self.env._(
                    "Replacement delivery %(pickings)s created on %(order)s.",
                    pickings=Markup(", ").join(
                        p._get_html_link() for p in self.sudo().replacement_picking_ids
                    ),
                    order=self.sale_order_id.name,
                )
            )

    def _dist_request_credit(self):
        """Credit the accepted quantities through the billing engine: the
        return transfers are marked To Bill and billed now; the return is done
        once they are billed (at once, or when a failed billing is retried)."""
        self.ensure_one()
        receipts = self.sudo().return_picking_ids.filtered(lambda p: p.state == "done")
        fresh = receipts.filtered(lambda p: p.dist_billing_state == "none")
        if fresh:
            policy = self.partner_id.commercial_partner_id.with_company(
                self.company_id
            ).dist_billing_policy
            fresh._dist_write_billing(
                {
                    "dist_billing_policy": policy,
                    "dist_billing_state": "to_bill",
                    "dist_billing_due": fields.Datetime.now(),
                }
            )
        to_bill = receipts.filtered(lambda p: p.dist_billing_state in ("to_bill", "failed"))
        if to_bill:
            to_bill.filtered(lambda p: p.dist_billing_state == "failed")._dist_write_billing(
                {"dist_billing_state": "to_bill", "dist_billing_attempts": 0}
            )
            self.env["dist.billing"].sudo()._dist_bill(to_bill)
        self._dist_finish_if_credited()

    def _dist_finish_if_credited(self):
        for record in self.filtered(lambda r: r.state == "received" and r.resolve_requested):
            receipts = record.sudo().return_picking_ids.filtered(lambda p: p.state == "done")
            if all(p.dist_billing_state == "billed" for p in receipts):
                record._dist_finish()

    def _dist_finish(self):
        """Done: the ticket moves on, the customer is told, the queue forgets it."""
        self.ensure_one()
        self._dist_write({"state": "done", "resolved_on": fields.Datetime.now()})
        if self.resolution == "refund":
            notes = self.sudo().credit_note_ids
            self._dist_post(
                self.env._(
                    "Resolved with credit note %(notes)s.",
                    notes=Markup(", ").join(n._get_html_link() for n in notes),
                )
                if notes
                else self.env._("Resolved: nothing was left to credit.")
            )
        self.env["dist.exception"]._dist_resolve("unresolved_return", self)
        self.sudo().ticket_id._dist_return_done(self)
        self._dist_notify_customer("dist_returns.mail_template_dist_return_resolved")

    # ------------------------------------------------------------------
    # Cancel, back to draft
    # ------------------------------------------------------------------
    def action_cancel(self):
        """Cancel returns nothing was received for yet. Returns True."""
        # Their writes are the system's: who may change returns may run them.
        self.check_access("write")
        blocked = self.filtered(
            lambda r: (
                r.state in ("received", "done")
                or any(
                    not line.product_uom_id.is_zero(line.quantity_received) for line in r.line_ids
                )
            )
        )
        if blocked:
            raise UserError(
                self.env._(
                    "%(returns)s: goods were already received; inspect and resolve the "
                    "return (accept nothing to reject everything) instead of cancelling it.",
                    returns=", ".join(blocked.mapped("name")),
                )
            )
        to_cancel = self.filtered(lambda r: r.state != "cancelled")
        # A return put back to draft is approved again for what it then asks.
        decided = to_cancel.filtered(lambda r: r.approval_state in ("pending", "approved"))
        if decided:
            decided._dist_approval_invalidate(self.env._("the return was cancelled."))
        to_cancel.sudo().return_picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        ).action_cancel()
        to_cancel._dist_write({"state": "cancelled"})
        to_cancel.line_ids.sale_line_id._dist_refresh_return_authorized()
        return True

    def action_draft(self):
        """Back to draft after a rejection or a cancellation, to change and submit again."""
        # Their writes are the system's: who may change returns may run them.
        self.check_access("write")
        wrong = self.filtered(lambda r: r.state not in ("rejected", "cancelled"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only rejected or cancelled returns go back to draft: %(returns)s.",
                    returns=", ".join(wrong.mapped("name")),
                )
            )
        if any(r.sudo().return_picking_ids.filtered(lambda p: p.state == "done") for r in self):
            raise UserError(self.env._("Goods of these returns were received: create a new one."))
        self._dist_write({"state": "draft"})
        return True

    # ------------------------------------------------------------------
    # Buttons and words
    # ------------------------------------------------------------------
    def _dist_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def action_view_pickings(self):
        self.ensure_one()
        pickings = (
            self.return_picking_ids | self.replacement_picking_ids | (self.operation_picking_ids)
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("id", "in", pickings.ids)]
        action["context"] = {"create": False}
        if len(pickings) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = pickings.id
        return action

    def action_view_credit_notes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        action["domain"] = [("id", "in", self.credit_note_ids.ids)]
        action["context"] = {"create": False, "default_move_type": "out_refund"}
        if len(self.credit_note_ids) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = self.credit_note_ids.id
        return action

    def action_view_attachments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("base.action_attachment")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"default_res_model": self._name, "default_res_id": self.id}
        return action
