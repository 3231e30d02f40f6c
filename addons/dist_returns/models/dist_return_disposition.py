# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command

from .dist_return_reason import DISPOSITIONS

# The transfer or scrap carrying out a disposition: the system's to set.
OPERATION_FIELDS = frozenset({"picking_id", "scrap_id"})


class DistReturnDisposition(models.Model):
    """What becomes of some accepted units of a return line.

    A line sends its accepted units to one disposition, or splits them over
    several (5 restocked, 2 scrapped). ``_dist_execute`` carries them out with
    Odoo's own operations: an internal transfer to stock, a scrap, a return
    to the supplier of the product's last receipt.
    """

    _name = "dist.return.disposition"
    _description = "Return Disposition"
    _inherit = ["dist.protected.mixin"]
    _order = "line_id, id"
    _check_company_auto = True

    line_id = fields.Many2one(
        "dist.return.line", "Return Line", required=True, ondelete="cascade", index=True
    )
    return_id = fields.Many2one(related="line_id.return_id", store=True, index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    product_id = fields.Many2one(related="line_id.product_id")
    product_uom_id = fields.Many2one(related="line_id.product_uom_id")
    disposition = fields.Selection(DISPOSITIONS, required=True, default="restock")
    quantity = fields.Float(digits="Product Unit", required=True, default=0.0)
    scrap_reason_tag_ids = fields.Many2many(
        "stock.scrap.reason.tag",
        string="Scrap Reason",
        help="Reason recorded on the scrap; empty: the return reason's.",
    )
    picking_id = fields.Many2one(
        "stock.picking", "Transfer", readonly=True, copy=False, check_company=True
    )
    scrap_id = fields.Many2one("stock.scrap", readonly=True, copy=False)
    state = fields.Selection(
        [("to_do", "To Do"), ("in_progress", "In Progress"), ("done", "Done")],
        compute="_compute_state",
    )

    _quantity_positive = models.Constraint(
        "CHECK(quantity > 0)", "A disposition needs a positive quantity."
    )

    @api.depends("picking_id.state", "scrap_id.state")
    def _compute_state(self):
        for row in self:
            if row.scrap_id.state == "done" or row.picking_id.state == "done":
                row.state = "done"
            elif row.scrap_id or row.picking_id:
                row.state = "in_progress"
            else:
                row.state = "to_do"

    # ------------------------------------------------------------------
    # Guards: set at inspection only
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        rows = super().create(vals_list)
        rows._dist_check_inspecting()
        return rows

    def write(self, vals):
        self._dist_check_inspecting()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_while_inspecting(self):
        self._dist_check_inspecting()

    def _dist_check_inspecting(self):
        if self._dist_is_system():
            return
        closed = self.return_id.filtered(lambda r: r.state != "received" or r.resolve_requested)
        if closed:
            raise UserError(
                self.env._(
                    "%(rma)s: dispositions are decided at inspection, once the goods are "
                    "received and before the return is resolved.",
                    rma=closed[:1].name,
                )
            )

    def _dist_protected_field_names(self):
        return super()._dist_protected_field_names() | OPERATION_FIELDS

    @api.constrains("quantity", "line_id")
    def _check_not_above_accepted(self):
        for line in self.line_id:
            mismatch = line._dist_disposition_mismatch(exact=False)
            if mismatch:
                raise ValidationError(mismatch)

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------
    def _dist_execute(self):
        """Carry out the dispositions not started yet, per return."""
        todo = self.sudo().filtered(lambda r: not r.picking_id and not r.scrap_id)
        for record, rows in todo.grouped("return_id").items():
            location = record.location_id or record.warehouse_id._dist_returns_location()
            restock = rows.filtered(lambda r: r.disposition == "restock")
            if restock:
                restock._dist_restock(record, location)
            for row in rows.filtered(lambda r: r.disposition == "scrap"):
                row._dist_scrap(record, location)
            vendor = rows.filtered(lambda r: r.disposition == "vendor")
            if vendor:
                vendor._dist_return_to_vendor(record, location)
        return True

    def _dist_write_operation(self, vals):
        self._dist_as_system().sudo().write(vals)

    def _dist_lots(self, location, quantity):
        """[(lot, quantity in the product's unit)] taking ``quantity`` of the
        row's product from ``location``: lot by lot as received for tracked
        products, a single untracked chunk otherwise."""
        self.ensure_one()
        line = self.line_id
        product = line.product_id
        if product.tracking == "none":
            return [(self.env["stock.lot"], quantity)]
        receipts = line.return_id.return_picking_ids.move_ids.filtered(
            lambda m: m.state == "done" and m.sale_line_id == line.sale_line_id
        )
        chunks, left = [], quantity
        for lot in receipts.move_line_ids.lot_id or line.lot_id:
            if product.uom_id.compare(left, 0.0) <= 0:
                break
            available = product.with_context(location=location.id, lot_id=lot.id).free_qty
            take = min(available, left)
            if take > 0:
                chunks.append((lot, take))
                left -= take
        if product.uom_id.compare(left, 0.0) > 0:
            chunks.append((line.lot_id, left))
        return chunks

    def _dist_check_available(self, record, location):
        """The goods of these rows are in the returns location (one query)."""
        wanted = defaultdict(float)
        for row in self:
            wanted[row.product_id] += row.product_uom_id._compute_quantity(
                row.quantity, row.product_id.uom_id, round=False
            )
        free = {
            product: quantity - reserved
            for product, quantity, reserved in self.env["stock.quant"]
            .sudo()
            ._read_group(
                [("location_id", "=", location.id), ("product_id", "in", [p.id for p in wanted])],
                ["product_id"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
        }
        missing = [
            product.display_name
            for product, quantity in wanted.items()
            if product.is_storable and product.uom_id.compare(free.get(product, 0.0), quantity) < 0
        ]
        if missing:
            raise UserError(
                self.env._(
                    "%(rma)s: %(products)s are not all in %(location)s any more; check the "
                    "return transfers and the location, then resolve again.",
                    rma=record.name,
                    products=", ".join(missing),
                    location=location.display_name,
                )
            )

    def _dist_restock(self, record, location):
        """One internal transfer from the returns location to stock, done now.

        The units are known to be in the returns location: the moves carry
        their move lines (lot by lot for tracked products) instead of asking
        the reservation to look for them.
        """
        self._dist_check_available(record, location)
        warehouse = record.warehouse_id
        stock = warehouse.lot_stock_id
        env = self.env["stock.picking"]._dist_as_system().sudo().env
        move_vals = []
        for row in self:
            product = row.product_id
            quantity = row.product_uom_id._compute_quantity(row.quantity, product.uom_id)
            move_vals.append(
                {
                    "product_id": product.id,
                    "product_uom": product.uom_id.id,
                    "product_uom_qty": quantity,
                    "location_id": location.id,
                    "location_dest_id": stock.id,
                    "company_id": record.company_id.id,
                    "origin": record.name,
                    "picked": True,
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_id": product.uom_id.id,
                                "quantity": lot_quantity,
                                "lot_id": lot.id,
                                "location_id": location.id,
                                "location_dest_id": stock.id,
                                "picked": True,
                            }
                        )
                        for lot, lot_quantity in row._dist_lots(location, quantity)
                    ],
                }
            )
        picking = env["stock.picking"].create(
            {
                "picking_type_id": warehouse.int_type_id.id,
                "location_id": location.id,
                "location_dest_id": stock.id,
                "origin": record.name,
                "company_id": record.company_id.id,
                "dist_return_id": record.id,
                "dist_return_role": "restock",
                "move_ids": [Command.create(vals) for vals in move_vals],
            }
        )
        picking.with_context(cancel_backorder=True)._action_done()
        self._dist_write_operation({"picking_id": picking.id})
        record._dist_post(
            self.env._(
                "Restocked in %(location)s with %(picking)s.",
                location=stock.display_name,
                picking=picking._get_html_link(),
            )
        )

    def _dist_scrap(self, record, location):
        """Odoo's scrap, from the returns location, with the reason."""
        self.ensure_one()
        line = self.line_id
        tags = self.scrap_reason_tag_ids or line.reason_id.scrap_reason_tag_id
        self._dist_check_available(record, location)
        uom = line.product_id.uom_id
        chunks = self._dist_lots(
            location, self.product_uom_id._compute_quantity(self.quantity, uom)
        )
        scraps = self.env["stock.scrap"].sudo()
        for lot, quantity in chunks:
            scrap = scraps.create(
                {
                    "product_id": line.product_id.id,
                    "product_uom_id": uom.id,
                    "scrap_qty": quantity,
                    "lot_id": lot.id,
                    "location_id": location.id,
                    "company_id": record.company_id.id,
                    "origin": f"{record.name} – {line.reason_id.name or ''}".strip(" –"),
                    "scrap_reason_tag_ids": [Command.set(tags.ids)],
                }
            )
            scrap.do_scrap()
            scraps |= scrap
        self._dist_write_operation({"scrap_id": scraps[:1].id})
        record._dist_post(
            self.env._(
                "Scrapped %(quantity)s %(product)s: %(scraps)s.",
                quantity=self.quantity,
                product=line.product_id.display_name,
                scraps=Markup(", ").join(s._get_html_link() for s in scraps),
            )
        )

    def _dist_return_to_vendor(self, record, location):
        """Back to the supplier of the product's last receipts, with Odoo's
        return wizard on those receipts (from the returns location); what no
        receipt can take goes on a draft transfer to the product's vendor."""
        by_receipt = defaultdict(list)
        leftovers = []
        for row in self:
            wanted = row.product_uom_id._compute_quantity(row.quantity, row.product_id.uom_id)
            for move, quantity in row._dist_supplier_moves(wanted):
                by_receipt[move.picking_id].append((row, move, quantity))
                wanted -= quantity
            if not row.product_id.uom_id.is_zero(wanted) and wanted > 0:
                leftovers.append((row, wanted))
        for receipt, entries in by_receipt.items():
            picking = self.env["stock.return.picking"]._dist_return_transfers(
                record,
                "vendor",
                [
                    (
                        move,
                        move.product_id.uom_id._compute_quantity(quantity, move.product_uom),
                        None,
                    )
                    for __, move, quantity in entries
                ],
                location,
            )
            for row in {row for row, __, __ in entries}:
                row._dist_write_operation({"picking_id": picking.id})
            record._dist_post(
                self.env._(
                    "Return to vendor %(vendor)s prepared: %(picking)s (from %(receipt)s).",
                    vendor=receipt.partner_id.display_name or "",
                    picking=picking._get_html_link(),
                    receipt=receipt._get_html_link(),
                )
            )
        if leftovers:
            self._dist_vendor_draft(record, location, leftovers)

    def _dist_supplier_moves(self, wanted):
        """[(done supplier receipt move, quantity in product unit)] covering
        ``wanted``, latest receipts first, each up to what it can still return."""
        self.ensure_one()
        moves = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("product_id", "=", self.product_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "done"),
                    ("location_id.usage", "=", "supplier"),
                    ("location_dest_id.usage", "=", "internal"),
                    ("picking_id", "!=", False),
                ],
                order="date desc, id desc",
                limit=20,
            )
        )
        plan = []
        for move in moves:
            if wanted <= 0:
                break
            returned = sum(m.product_qty for m in move.returned_move_ids if m.state != "cancel")
            room = move.product_qty - returned
            take = min(room, wanted)
            if take > 0:
                plan.append((move, take))
                wanted -= take
        return plan

    def _dist_vendor_draft(self, record, location, leftovers):
        """A draft transfer to the product's vendor for what no receipt can take
        back; the responsible gets an activity to arrange it."""
        warehouse = record.warehouse_id
        by_vendor = defaultdict(list)
        for row, quantity in leftovers:
            by_vendor[row.product_id.seller_ids[:1].partner_id].append((row, quantity))
        env = self.env["stock.picking"]._dist_as_system().sudo().env
        for vendor, entries in by_vendor.items():
            destination = vendor.property_stock_supplier or self.env.ref(
                "stock.stock_location_suppliers"
            )
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": vendor.id,
                    "location_id": location.id,
                    "location_dest_id": destination.id,
                    "origin": record.name,
                    "company_id": record.company_id.id,
                    "dist_return_id": record.id,
                    "dist_return_role": "vendor",
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": row.product_id.id,
                                "product_uom": row.product_id.uom_id.id,
                                "product_uom_qty": quantity,
                                "location_id": location.id,
                                "location_dest_id": destination.id,
                                "company_id": record.company_id.id,
                                "origin": record.name,
                            }
                        )
                        for row, quantity in entries
                    ],
                }
            )
            for row, __ in entries:
                row._dist_write_operation({"picking_id": picking.id})
            note = self.env._(
                "No receipt of %(products)s can be returned: arrange the return with the "
                "vendor %(vendor)s, then confirm %(picking)s.",
                products=", ".join(row.product_id.display_name for row, __ in entries),
                vendor=vendor.display_name or self.env._("(no vendor on the product)"),
                picking=picking.name,
            )
            record._dist_post(note)
            record._dist_schedule_activities(
                [
                    (
                        record,
                        record.user_id,
                        self.env._("Return to vendor: %(rma)s", rma=record.name),
                        note,
                        fields.Date.context_today(self),
                    )
                ]
            )
