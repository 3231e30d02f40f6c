# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

RETURN_ROLES = [
    ("receipt", "Return Receipt"),
    ("restock", "Restock"),
    ("vendor", "Return to Vendor"),
    ("ship_back", "Rejected, Shipped Back"),
    ("replacement", "Replacement"),
]
RETURN_FIELDS = frozenset({"dist_return_id", "dist_return_role"})


class StockPicking(models.Model):
    """Transfers of a return authorization: its receipts (validation is the
    receipt), the dispositions, the rejected units shipped back and the
    replacement deliveries."""

    _inherit = "stock.picking"

    dist_return_id = fields.Many2one(
        "dist.return",
        "Return Authorization",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    dist_return_role = fields.Selection(RETURN_ROLES, "Part of Return", readonly=True, copy=False)
    dist_origin_return_ids = fields.One2many(
        "dist.return", "picking_id", "Returns of This Delivery", readonly=True
    )
    dist_origin_return_count = fields.Integer(compute="_compute_dist_origin_return_count")

    @api.depends("dist_origin_return_ids")
    def _compute_dist_origin_return_count(self):
        counts = dict(
            self.env["dist.return"]
            .sudo()
            ._read_group([("picking_id", "in", self.ids)], ["picking_id"], ["__count"])
        )
        for picking in self:
            picking.dist_origin_return_count = counts.get(picking, 0)

    def _dist_protected_field_names(self):
        return super()._dist_protected_field_names() | RETURN_FIELDS

    def _dist_protected_error(self, field_names):
        if not field_names & RETURN_FIELDS:
            return super()._dist_protected_error(field_names)
        return UserError(
            self.env._(
                "The link between a transfer and a return authorization is made by the "
                "return itself (authorization, resolution); it cannot be set by hand."
            )
        )

    # ------------------------------------------------------------------
    # Receipt of a return
    # ------------------------------------------------------------------
    def _action_done(self):
        receipts = self.filtered(lambda p: p.dist_return_role == "receipt")
        if receipts:
            receipts._dist_check_receipt()
        res = super()._action_done()
        if receipts:
            receipts.dist_return_id._dist_on_receipt()
        return res

    def _dist_check_receipt(self):
        """A return transfer receives at most what its return authorizes, and
        only products of the return."""
        errors = []
        for record in self.dist_return_id.sudo():
            authorized = defaultdict(float)
            for line in record.line_ids:
                authorized[line.sale_line_id] += line.quantity
            received = defaultdict(float)
            for line in record.line_ids:
                received[line.sale_line_id] += line.quantity_received
            for move in (self & record.return_picking_ids).move_ids.filtered(
                lambda m: (
                    m.state not in ("done", "cancel") and not m.product_uom.is_zero(m.quantity)
                )
            ):
                sale_line = move.sale_line_id
                if sale_line not in authorized:
                    errors.append(
                        self.env._(
                            "%(picking)s: %(product)s is not on %(rma)s; remove it from the "
                            "return transfer (authorize it on a return first).",
                            picking=move.picking_id.name,
                            product=move.product_id.display_name,
                            rma=record.name,
                        )
                    )
                    continue
                received[sale_line] += move.product_uom._compute_quantity(
                    move.quantity, sale_line.product_uom_id, round=False
                )
            for sale_line, quantity in received.items():
                if sale_line.product_uom_id.compare(quantity, authorized[sale_line]) > 0:
                    errors.append(
                        self.env._(
                            "%(rma)s authorizes %(authorized)s %(product)s; receiving "
                            "%(quantity)s in all would be more: lower the received quantity, "
                            "or authorize the rest on a new return.",
                            rma=record.name,
                            authorized=authorized[sale_line],
                            product=sale_line.product_id.display_name,
                            quantity=sale_line.product_uom_id.round(quantity),
                        )
                    )
        if errors:
            raise UserError("\n".join(errors))

    def action_cancel(self):
        res = super().action_cancel()
        receipts = self.filtered(lambda p: p.dist_return_role == "receipt")
        if receipts:
            receipts.dist_return_id._dist_on_receipt()
        return res

    def _create_backorder_picking(self):
        backorder = super()._create_backorder_picking()
        if self.dist_return_id:
            backorder._dist_as_system().sudo().write(
                {
                    "dist_return_id": self.dist_return_id.id,
                    "dist_return_role": self.dist_return_role,
                }
            )
        return backorder

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_dist_create_return(self):
        """A draft return of this delivery, its lines prefilled, opened."""
        self.ensure_one()
        if self.picking_type_code != "outgoing" or self.state != "done" or not self.sale_id:
            raise UserError(
                self.env._(
                    "%(picking)s is not a done delivery of a sales order: returns are "
                    "authorized for what was delivered.",
                    picking=self.name,
                )
            )
        record = self.env["dist.return"]._dist_create_draft(picking=self)
        return record._get_records_action(name=self.env._("Return"))

    def action_dist_view_return(self):
        self.ensure_one()
        records = self.dist_return_id | self.dist_origin_return_ids
        return records._get_records_action(name=self.env._("Returns"))
