# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.fields import Command

from ..models.stock_picking import RETURN_ROLES


class StockReturnPickingLine(models.TransientModel):
    _inherit = "stock.return.picking.line"

    dist_lot_id = fields.Many2one("stock.lot", "Lot/Serial Returned")


class StockReturnPicking(models.TransientModel):
    """Odoo's return wizard, driven by a return authorization: the transfer is
    linked to the return, and goes into (or out of) its returns location."""

    _inherit = "stock.return.picking"

    dist_return_id = fields.Many2one("dist.return", "Return Authorization", readonly=True)
    dist_return_role = fields.Selection(RETURN_ROLES, readonly=True)
    dist_location_id = fields.Many2one("stock.location", "Returns Location", readonly=True)

    @api.model
    def _dist_return_transfers(self, record, role, entries, location=None):
        """Odoo's return of the moves of ``entries`` for a return authorization.

        ``entries``: [(move, quantity in the move's unit, lot or None)]; one
        transfer per transfer of the moves, linked to ``record`` in ``role``,
        into (receipts) or out of (returns to vendor) ``location``.
        :return: the transfers created
        """
        Wizard = self.with_env(self.env["stock.picking"]._dist_as_system().sudo().env)
        by_picking = defaultdict(list)
        for move, quantity, lot in entries:
            by_picking[move.picking_id].append((move, quantity, lot))
        created = self.env["stock.picking"]
        for picking, moves in by_picking.items():
            wizard = Wizard.create(
                {
                    "picking_id": picking.id,
                    "dist_return_id": record.id,
                    "dist_return_role": role,
                    "dist_location_id": location.id if location else False,
                    "product_return_moves": [
                        Command.clear(),
                        *(
                            Command.create(
                                {
                                    "product_id": move.product_id.id,
                                    "move_id": move.id,
                                    "quantity": quantity,
                                    "dist_lot_id": lot.id if lot else False,
                                }
                            )
                            for move, quantity, lot in moves
                        ),
                    ],
                }
            )
            created |= wizard._create_return()
        return created.with_env(self.env)

    def _prepare_picking_default_values_based_on(self, picking):
        vals = super()._prepare_picking_default_values_based_on(picking)
        record = self.dist_return_id
        if not record:
            return vals
        vals.update(
            dist_return_id=record.id,
            dist_return_role=self.dist_return_role,
            origin=self.env._("%(rma)s: %(origin)s", rma=record.name, origin=vals.get("origin")),
        )
        if self.dist_location_id and self.dist_return_role == "receipt":
            vals["location_dest_id"] = self.dist_location_id.id
        elif self.dist_location_id and self.dist_return_role == "vendor":
            vals["location_id"] = self.dist_location_id.id
        return vals

    def _create_return(self):
        # Odoo unreserves the open moves chained to the returned ones (earlier
        # returns of the same delivery): they are reserved again afterwards.
        chained = self.env["stock.move"]
        if self.dist_return_id:
            chained = self.product_return_moves.move_id.move_dest_ids.filtered(
                lambda m: m.state not in ("done", "cancel")
            )
        new_picking = super()._create_return()
        if chained:
            (chained - new_picking.move_ids)._action_assign()
        if self.dist_return_role == "vendor":
            # Odoo chains the return to the receipt and reserves where the receipt
            # put the goods; they wait in the returns location now.
            new_picking.do_unreserve()
            new_picking.move_ids.write({"move_orig_ids": [Command.clear()]})
            new_picking.action_assign()
        lots = self.product_return_moves.filtered(
            lambda line: not line.uom_id.is_zero(line.quantity)
        )
        if self.dist_return_id and any(lots.mapped("dist_lot_id")):
            for line, move in zip(lots, new_picking.move_ids.sorted("id"), strict=False):
                if line.dist_lot_id and move.move_line_ids:
                    move.move_line_ids.write({"lot_id": line.dist_lot_id.id})
        return new_picking
