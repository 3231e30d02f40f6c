# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, models
from odoo.fields import Command

from .dist_return_line import allocate


class DistBilling(models.AbstractModel):
    """Credit notes of return authorizations, through the billing engine.

    The return transfer of a return authorization is not credited when it is
    validated (the goods still have to be inspected): resolving the return
    marks it To Bill, and the engine credits the quantities the inspector
    accepted, at the original invoice line's net price, one credit note per
    return. What the engine guarantees holds for them too: a retry never
    credits twice, a failure becomes a billing exception.
    """

    _inherit = "dist.billing"

    @api.model
    def _dist_start(self, pickings):
        return super()._dist_start(pickings.filtered(lambda p: p.dist_return_role != "receipt"))

    # ------------------------------------------------------------------
    # What to credit: the accepted quantities only
    # ------------------------------------------------------------------
    @api.model
    def _dist_unbilled(self, pickings):
        todo = super()._dist_unbilled(pickings)
        receipt_moves = [m for m in todo if m.picking_id.dist_return_role == "receipt"]
        if not receipt_moves:
            return todo
        room = self._dist_return_credit_room(self.env["stock.move"].union(*receipt_moves))
        for move in receipt_moves:
            sign, quantity = todo[move]
            todo[move] = (sign, move.sale_line_id.product_uom_id.round(min(quantity, room[move])))
        return todo

    @api.model
    def _dist_return_credit_room(self, moves):
        """{receipt move: quantity it may still credit, in its order line's unit}.

        The accepted quantity of each order line of a return is spread over the
        moves that received it; nothing is credited before the return is resolved.
        """
        billed = self._dist_billed_by_move(moves)
        room = dict.fromkeys(moves, 0.0)
        for record in moves.picking_id.dist_return_id.filtered(
            lambda r: r.resolve_requested and r.resolution == "refund"
        ):
            received = (
                record.return_picking_ids.move_ids.filtered(
                    lambda m: m.state == "done" and m.location_id.usage == "customer"
                )
                .sorted("id")
                .grouped("sale_line_id")
            )
            for sale_line, lines in record.line_ids.grouped("sale_line_id").items():
                accepted = sum(lines.mapped("quantity_accepted"))
                shares = allocate(
                    received.get(sale_line, moves.browse()),
                    accepted,
                    lambda m, sl=sale_line: m.product_uom._compute_quantity(
                        m.quantity, sl.product_uom_id, round=False
                    ),
                )
                for move, share in shares.items():
                    if move in room:
                        room[move] = max(share - billed[move], 0.0)
        return room

    # ------------------------------------------------------------------
    # How: one credit note per return and invoice currency
    # ------------------------------------------------------------------
    @api.model
    def _dist_plans(self, pickings):
        plans = super()._dist_plans(pickings)
        entries = [
            (plan, move, quantity)
            for plan in plans
            for move, quantity in plan["lines"]
            if move.picking_id.dist_return_role == "receipt"
        ]
        if not entries:
            return plans
        originals = self._dist_original_lines(
            self.env["stock.move"].union(*(move for __, move, __ in entries))
        )
        kept = []
        for plan in plans:
            lines = [(m, q) for m, q in plan["lines"] if m.picking_id.dist_return_role != "receipt"]
            if len(lines) == len(plan["lines"]):
                kept.append(plan)
            elif lines:
                moves = self.env["stock.move"].union(*(m for m, __ in lines))
                kept.append(
                    {
                        **plan,
                        "lines": lines,
                        "pickings": moves.picking_id,
                        "orders": moves.sale_line_id.order_id,
                    }
                )
        grouped = defaultdict(list)
        for plan, move, quantity in entries:
            original = originals.get(move)
            currency = original.currency_id if original else move.sale_line_id.currency_id
            grouped[move.picking_id.dist_return_id, currency].append((plan, move, quantity))
        for (record, currency), group in grouped.items():
            moves = self.env["stock.move"].union(*(move for __, move, __ in group))
            kept.append(
                {
                    "move_type": "out_refund",
                    "terms": group[0][0]["terms"],
                    "pickings": moves.picking_id,
                    "orders": moves.sale_line_id.order_id,
                    "lines": [(move, quantity) for __, move, quantity in group],
                    "dist_return": record,
                    "dist_currency": currency,
                    "dist_originals": {move: originals.get(move) for move in moves},
                }
            )
        return kept

    @api.model
    def _dist_original_lines(self, moves):
        """{receipt move: the customer invoice line that billed what it brings back}."""
        by_line, by_move = moves.sale_line_id._dist_original_invoice_lines()
        return {
            move: by_move.get(move.origin_returned_move_id) or by_line.get(move.sale_line_id)
            for move in moves
        }

    @api.model
    def _dist_invoice_vals(self, plan):
        vals = super()._dist_invoice_vals(plan)
        record = plan.get("dist_return")
        if not record:
            return vals
        originals = plan["dist_originals"]
        invoices = {line.move_id for line in originals.values() if line}
        currency = plan["dist_currency"]
        vals["currency_id"] = currency.id
        if len(invoices) == 1:
            invoice = invoices.pop()
            vals["reversed_entry_id"] = invoice.id
            vals["fiscal_position_id"] = invoice.fiscal_position_id.id
        vals["ref"] = record.name
        vals["invoice_origin"] = ", ".join([record.name, *plan["orders"].mapped("name")])
        fees = defaultdict(float)
        fee_percent = {
            line.sale_line_id: line.reason_id.restocking_fee_percent
            for line in reversed(record.line_ids)
        }
        for command, (move, quantity) in zip(vals["invoice_line_ids"], plan["lines"], strict=True):
            line_vals = command[2]
            original = originals.get(move)
            if original:
                line_vals.update(
                    price_unit=original.product_uom_id._compute_price(
                        original.price_unit, move.sale_line_id.product_uom_id
                    ),
                    discount=original.discount,
                    tax_ids=[Command.set(original.tax_ids.ids)],
                    extra_tax_data=original.extra_tax_data,
                )
            percent = fee_percent.get(move.sale_line_id)
            if percent:
                net = line_vals["price_unit"] * (1 - (line_vals.get("discount") or 0.0) / 100)
                taxes = (
                    tuple(sorted(line_vals["tax_ids"][0][2])) if line_vals.get("tax_ids") else ()
                )
                fees[percent, taxes] += net * quantity * percent / 100
        product = self.env.ref("dist_returns.product_restocking_fee", raise_if_not_found=False)
        for sequence, ((percent, taxes), amount) in enumerate(sorted(fees.items()), start=1000):
            vals["invoice_line_ids"].append(
                Command.create(
                    {
                        "sequence": sequence,
                        "product_id": product.id if product else False,
                        "name": self.env._(
                            "Restocking fee (%(percent)s%% of the credited goods)",
                            percent=f"{percent:g}",
                        ),
                        "quantity": 1.0,
                        "price_unit": -currency.round(amount),
                        "tax_ids": [Command.set(list(taxes))],
                    }
                )
            )
        return vals

    # ------------------------------------------------------------------
    # Then: the returns credited are done
    # ------------------------------------------------------------------
    @api.model
    def _dist_settle(self, pickings):
        res = super()._dist_settle(pickings)
        receipts = pickings.filtered(lambda p: p.dist_return_role == "receipt")
        if receipts:
            receipts.dist_return_id._dist_finish_if_credited()
        return res
