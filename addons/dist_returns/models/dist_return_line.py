# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .dist_return_reason import DISPOSITIONS

# What the customer asks for: changed in draft only.
REQUEST_FIELDS = frozenset(
    {"return_id", "sale_line_id", "product_id", "lot_id", "quantity", "reason_id", "sequence"}
)
# What the inspector decides: changed while the return is received.
INSPECTION_FIELDS = frozenset({"quantity_accepted"})
# Quantities the system derives from transfers.
DERIVED_FIELDS = frozenset({"quantity_received", "quantity_rejected"})


def allocate(records, total, capacity):
    """Spread ``total`` over ``records`` in order, each up to ``capacity(record)``;
    what is left goes to the last one. {record: share}."""
    shares = {}
    for record in records:
        share = max(min(capacity(record), total), 0.0)
        shares[record] = share
        total -= share
    if records and total > 0:
        shares[records[-1]] += total
    return shares


class DistReturnLine(models.Model):
    """One product of a return: what is authorized, what arrived, what the
    inspector accepted and what became of it."""

    _name = "dist.return.line"
    _description = "Return Authorization Line"
    _inherit = ["dist.protected.mixin"]
    _order = "return_id, sequence, id"
    _check_company_auto = True

    return_id = fields.Many2one("dist.return", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="return_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(related="return_id.state", store=True)
    sale_line_id = fields.Many2one(
        "sale.order.line",
        "Order Line",
        required=True,
        index=True,
        check_company=True,
        domain="[('order_id', '=', parent.sale_order_id), ('display_type', '=', False)]",
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        compute="_compute_product_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    product_uom_id = fields.Many2one(related="sale_line_id.product_uom_id", string="Unit")
    product_tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        "Lot/Serial",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    reason_id = fields.Many2one("dist.return.reason", index=True, check_company=True)
    disposition = fields.Selection(
        DISPOSITIONS,
        compute="_compute_disposition",
        store=True,
        readonly=False,
        precompute=True,
        help="What becomes of the accepted units; split them across several "
        "dispositions on the line's form.",
    )
    note = fields.Text("Condition")
    quantity = fields.Float("Authorized", digits="Product Unit", default=0.0)
    quantity_returnable = fields.Float(
        "Returnable",
        digits="Product Unit",
        compute="_compute_quantity_returnable",
        help="Delivered on the order line, less what came back and what other open "
        "returns authorize.",
    )
    quantity_received = fields.Float(
        "Received",
        digits="Product Unit",
        compute="_compute_quantity_received",
        store=True,
        readonly=True,
    )
    quantity_accepted = fields.Float(
        "Accepted",
        digits="Product Unit",
        copy=False,
        help="What was received, until the inspector lowers it; the rest of what was "
        "received is rejected.",
    )
    quantity_rejected = fields.Float(
        "Rejected",
        digits="Product Unit",
        compute="_compute_quantity_rejected",
        store=True,
        readonly=True,
    )
    quantity_disposed = fields.Float("Disposed", digits="Product Unit", compute="_compute_progress")
    quantity_credited = fields.Float("Credited", digits="Product Unit", compute="_compute_progress")
    quantity_replaced = fields.Float("Replaced", digits="Product Unit", compute="_compute_progress")
    disposition_ids = fields.One2many(
        "dist.return.disposition", "line_id", "Dispositions", copy=False
    )
    unit_value = fields.Monetary(
        compute="_compute_value",
        currency_field="currency_id",
        help="Net unit price of the original invoice line (else of the order line), "
        "in company currency.",
    )
    value = fields.Monetary(compute="_compute_value", currency_field="currency_id")

    _quantity_positive = models.Constraint(
        "CHECK(quantity >= 0 AND quantity_accepted >= 0)",
        "Quantities of a return cannot be negative.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("sale_line_id")
    def _compute_product_id(self):
        for line in self:
            if line.sale_line_id:
                line.product_id = line.sale_line_id.product_id

    @api.depends("reason_id")
    def _compute_disposition(self):
        for line in self:
            line.disposition = line.reason_id.default_disposition or line.disposition or "restock"

    @api.depends("sale_line_id", "quantity", "return_id.state")
    def _compute_quantity_returnable(self):
        lines = self.filtered("sale_line_id")
        returnable = lines.sale_line_id._dist_returnable_quantities(exclude=lines.return_id._origin)
        asked = defaultdict(float)
        for line in self:
            room = returnable.get(line.sale_line_id.id, {}).get("returnable", 0.0)
            line.quantity_returnable = max(room - asked[line.sale_line_id], 0.0)
            asked[line.sale_line_id] += line.quantity

    @api.depends(
        "quantity",
        "sale_line_id",
        "sequence",
        "return_id.return_picking_ids.move_ids.state",
        "return_id.return_picking_ids.move_ids.quantity",
    )
    def _compute_quantity_received(self):
        received = self._dist_spread(
            lambda record: record.sudo().return_picking_ids.move_ids.filtered(
                lambda m: m.state == "done" and m.location_id.usage == "customer"
            ),
            lambda move: (move.sale_line_id, move.product_uom, move.quantity),
            lambda line: line.quantity,
        )
        for line in self:
            line.quantity_received = received.get(line, 0.0)

    @api.depends("quantity_received", "quantity_accepted", "return_id.state")
    def _compute_quantity_rejected(self):
        for line in self:
            if line.return_id.state in ("received", "done"):
                line.quantity_rejected = max(line.quantity_received - line.quantity_accepted, 0.0)
            else:
                line.quantity_rejected = 0.0

    @api.depends("disposition_ids.state", "quantity_accepted")
    def _compute_progress(self):
        credited = self._dist_spread(
            lambda record: record.sudo().return_picking_ids.move_ids.dist_invoice_line_ids.filtered(
                lambda aml: aml.parent_state != "cancel" and aml.move_id.move_type == "out_refund"
            ),
            lambda aml: (aml.dist_stock_move_id.sale_line_id, aml.product_uom_id, aml.quantity),
            lambda line: line.quantity_accepted,
        )
        replaced = self._dist_spread(
            lambda record: record.sudo().replacement_picking_ids.move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_usage == "customer"
            ),
            lambda move: (move.sale_line_id, move.product_uom, move.quantity),
            lambda line: line.quantity_accepted,
        )
        for line in self:
            line.quantity_disposed = sum(
                line.disposition_ids.filtered(lambda d: d.state == "done").mapped("quantity")
            )
            line.quantity_credited = credited.get(line, 0.0)
            line.quantity_replaced = replaced.get(line, 0.0)

    def _dist_spread(self, records_of, key, capacity):
        """Quantities of a return's records (moves, invoice lines) per line.

        ``records_of(return)`` gives the records, ``key(record)`` their (order
        line, unit, quantity); the total per order line is spread over the
        return's lines of that order line in their order, each up to
        ``capacity(line)``.
        """
        result = {}
        for record in self.return_id:
            totals = defaultdict(float)
            for item in records_of(record):
                sale_line, uom, quantity = key(item)
                if sale_line:
                    totals[sale_line] += uom._compute_quantity(
                        quantity, sale_line.product_uom_id, round=False
                    )
            by_sale_line = record.line_ids.sorted(lambda line: (line.sequence, line.id)).grouped(
                "sale_line_id"
            )
            for sale_line, lines in by_sale_line.items():
                result.update(allocate(lines, totals.get(sale_line, 0.0), capacity))
        return result

    @api.depends("sale_line_id", "quantity")
    def _compute_value(self):
        values = self._dist_unit_values()
        for line in self:
            line.unit_value = values.get(line, 0.0)
            line.value = line.currency_id.round(line.unit_value * line.quantity)

    def _dist_unit_values(self):
        """{line: net unit price in company currency, per unit of the order line}.

        The price the customer was invoiced: the original invoice line's net
        amount (discount applied, in company currency at the invoice's rate);
        the order line's net price when nothing was invoiced yet.
        """
        lines = self.filtered("sale_line_id").sudo()
        originals = lines.sale_line_id._dist_original_invoice_lines()[0]
        values = {}
        for line in lines:
            sale_line = line.sale_line_id
            invoice_line = originals.get(sale_line)
            company = line.return_id.company_id or sale_line.company_id
            if invoice_line and invoice_line.quantity:
                unit = abs(invoice_line.balance) / invoice_line.quantity
                unit = invoice_line.product_uom_id._compute_price(unit, sale_line.product_uom_id)
            else:
                order = sale_line.order_id
                unit = order.currency_id._convert(
                    sale_line.price_reduce_taxexcl,
                    company.currency_id,
                    company,
                    order.date_order or fields.Date.context_today(self),
                    round=False,
                )
            values[line._origin or line] = unit
            values[line] = unit
        return values

    # ------------------------------------------------------------------
    # CRUD and guards
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("return_id") and vals.get("product_id") and not vals.get("sale_line_id"):
                record = self.env["dist.return"].browse(vals["return_id"])
                product = self.env["product.product"].browse(vals["product_id"])
                vals["sale_line_id"] = self._dist_order_line_for(record, product).id
        lines = super().create(vals_list)
        if not self._dist_is_system():
            submitted = lines.return_id.filtered(lambda r: r.state != "draft")
            if submitted:
                raise UserError(self._dist_locked_message(submitted))
        return lines

    @api.model
    def _dist_order_line_for(self, record, product):
        """The order line a product is returned against, when only the product is given."""
        candidates = record.sudo().sale_order_id.order_line.filtered(
            lambda line: line.product_id == product and not line.display_type
        )
        if not candidates:
            raise UserError(self._dist_not_on_order_message(product, record))
        returnable = candidates._dist_returnable_quantities(exclude=record)
        for line in candidates:
            if line.product_uom_id.compare(returnable[line.id]["returnable"], 0.0) > 0:
                return line
        return candidates[:1]

    def write(self, vals):
        if not self._dist_is_system():
            touched = set(vals)
            if touched & REQUEST_FIELDS:
                # The return a line moves to is fixed too once submitted.
                submitted = (
                    self.return_id | self.env["dist.return"].browse(vals.get("return_id"))
                ).filtered(lambda r: r.state != "draft")
                if submitted:
                    raise UserError(self._dist_locked_message(submitted))
            if touched & INSPECTION_FIELDS or "disposition" in touched:
                allowed = ("received",) if touched & INSPECTION_FIELDS else ("draft", "received")
                closed = self.filtered(
                    lambda line: (
                        line.return_id.state not in allowed or line.return_id.resolve_requested
                    )
                )
                if closed:
                    raise UserError(
                        self.env._(
                            "%(rma)s is %(state)s: the accepted quantities and dispositions "
                            "are set at inspection, once the goods are received and before "
                            "the return is resolved.",
                            rma=closed[:1].return_id.name,
                            state=closed[:1].return_id._dist_state_label(),
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        if self._dist_is_system():
            return
        submitted = self.return_id.filtered(lambda r: r.state != "draft")
        if submitted:
            raise UserError(self._dist_locked_message(submitted))

    @api.model
    def _dist_not_on_order_message(self, product, record):
        return self.env._(
            "%(product)s is not on order %(order)s: only products of the order can be "
            "returned on %(rma)s.",
            product=product.display_name,
            order=record.sudo().sale_order_id.name,
            rma=record.name,
        )

    def _dist_locked_message(self, returns):
        return self.env._(
            "%(returns)s: the lines of a return are fixed once it is submitted; the "
            "inspector sets the accepted quantities after receipt.",
            returns=", ".join(returns.mapped("name")),
        )

    def _dist_protected_field_names(self):
        return super()._dist_protected_field_names() | DERIVED_FIELDS

    def _dist_protected_error(self, field_names):
        return UserError(
            self.env._(
                "Received and rejected quantities are counted from the return transfers "
                "and the inspection; validate the return transfer or set the accepted "
                "quantity instead."
            )
        )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("sale_line_id", "product_id", "return_id")
    def _check_order_line(self):
        for line in self:
            sale_line = line.sudo().sale_line_id
            order = line.sudo().return_id.sale_order_id
            if sale_line.order_id != order or line.product_id != sale_line.product_id:
                raise ValidationError(
                    self._dist_not_on_order_message(line.product_id, line.return_id)
                )

    @api.constrains("quantity", "sale_line_id")
    def _check_returnable(self):
        drafts = self.filtered(lambda line: line.return_id.state == "draft" and line.quantity > 0)
        if not drafts:
            return
        returnable = drafts.sale_line_id._dist_returnable_quantities(exclude=drafts.return_id)
        for record in drafts.return_id:
            asked = defaultdict(float)
            for line in record.line_ids:
                asked[line.sale_line_id] += line.quantity
            for sale_line, quantity in asked.items():
                room = returnable.get(sale_line.id)
                if room and sale_line.product_uom_id.compare(quantity, room["returnable"]) > 0:
                    raise ValidationError(sale_line._dist_cap_message(quantity, room))

    @api.constrains("quantity_accepted", "quantity_received")
    def _check_accepted(self):
        for line in self:
            if line.product_uom_id.compare(line.quantity_accepted, line.quantity_received) > 0:
                raise ValidationError(
                    self.env._(
                        "%(rma)s: %(accepted)s %(product)s accepted but only %(received)s "
                        "received; accept at most what arrived.",
                        rma=line.return_id.name,
                        accepted=line.quantity_accepted,
                        product=line.product_id.display_name,
                        received=line.quantity_received,
                    )
                )

    # ------------------------------------------------------------------
    # Transfers: where the goods come from, where they go
    # ------------------------------------------------------------------
    def _dist_origin_moves(self):
        """[(line, delivery move, quantity in the move's unit)]: the authorized
        quantities spread over the deliveries they come from, latest first, the
        lot's deliveries first for tracked products."""
        plan = []
        left = {}
        for line in self.sudo().sorted(lambda line: (line.sequence, line.id)):
            if line.product_uom_id.is_zero(line.quantity):
                continue
            record = line.return_id
            moves = line.sale_line_id.move_ids.filtered(
                lambda m: m.state == "done" and m.location_dest_usage == "customer"
            )
            if record.picking_id:
                moves = moves.filtered(lambda m, p=record.picking_id: m.picking_id == p) or moves
            moves = moves.sorted(lambda m: (m.date, m.id), reverse=True)
            if line.lot_id:
                moves = moves.sorted(lambda m, lot=line.lot_id: lot not in m.move_line_ids.lot_id)
            for move in moves:
                if move not in left:
                    returned = move.returned_move_ids.filtered(lambda m: m.state != "cancel")
                    left[move] = move.quantity - sum(
                        m.product_uom._compute_quantity(
                            m.quantity if m.state == "done" else m.product_uom_qty,
                            move.product_uom,
                            round=False,
                        )
                        for m in returned
                    )
            wanted = line.product_uom_id._compute_quantity(
                line.quantity, moves[:1].product_uom or line.product_uom_id, round=False
            )
            for move, share in allocate(moves, wanted, lambda m: left[m]).items():
                if not move.product_uom.is_zero(share):
                    left[move] -= share
                    plan.append((line, move, move.product_uom.round(share)))
        return plan

    def _dist_receipt_moves_for(self, field):
        """[(receipt move, quantity in its unit)]: the lines' ``field`` quantity
        spread over the done moves that received them."""
        plan = []
        for line in self.sudo():
            quantity = line[field]
            if line.product_uom_id.is_zero(quantity):
                continue
            moves = line.return_id.return_picking_ids.move_ids.filtered(
                lambda m, sl=line.sale_line_id: m.state == "done" and m.sale_line_id == sl
            )
            wanted = line.product_uom_id._compute_quantity(
                quantity, moves[:1].product_uom or line.product_uom_id, round=False
            )
            for move, share in allocate(
                moves,
                wanted,
                lambda m: (
                    m.quantity
                    - sum(
                        m.returned_move_ids.filtered(lambda r: r.state != "cancel").mapped(
                            "quantity"
                        )
                    )
                ),
            ).items():
                if not move.product_uom.is_zero(share):
                    plan.append((move, move.product_uom.round(share)))
        return plan

    # ------------------------------------------------------------------
    # Inspection and dispositions
    # ------------------------------------------------------------------
    def action_open_dispositions(self):
        """The line in a dialog where its accepted units are split across dispositions."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispositions of %s", self.product_id.display_name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("dist_returns.dist_return_line_view_form_dispositions").id, "form")
            ],
            "target": "new",
        }

    def _dist_check_inspection(self):
        errors = []
        for line in self:
            if line.disposition_ids:
                mismatch = line._dist_disposition_mismatch(exact=True)
                if mismatch:
                    errors.append(mismatch)
            elif not line.product_uom_id.is_zero(line.quantity_accepted) and not line.disposition:
                errors.append(
                    self.env._(
                        "%(rma)s, %(product)s: choose what becomes of the accepted units "
                        "(restock, scrap or return to vendor).",
                        rma=line.return_id.name,
                        product=line.product_id.display_name,
                    )
                )
        if errors:
            raise UserError("\n".join(errors))

    def _dist_disposition_mismatch(self, exact):
        """Why the split dispositions of this line do not fit its accepted units
        (above them, or with ``exact`` different from them); None when they fit."""
        self.ensure_one()
        total = sum(self.disposition_ids.mapped("quantity"))
        difference = self.product_uom_id.compare(total, self.quantity_accepted)
        if difference > 0 or (exact and difference):
            return self.env._(
                "%(rma)s, %(product)s: the dispositions add up to %(total)s but %(accepted)s "
                "are accepted; make them match.",
                rma=self.return_id.name,
                product=self.product_id.display_name,
                total=total,
                accepted=self.quantity_accepted,
            )
        return None

    def _dist_plan_dispositions(self):
        """A line without split dispositions sends all its accepted units to its disposition."""
        todo = self.filtered(
            lambda line: (
                not line.disposition_ids and not line.product_uom_id.is_zero(line.quantity_accepted)
            )
        )
        return (
            self.env["dist.return.disposition"]
            ._dist_as_system()
            .sudo()
            .create(
                [
                    {
                        "line_id": line.id,
                        "disposition": line.disposition,
                        "quantity": line.quantity_accepted,
                    }
                    for line in todo
                ]
            )
        )
