# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command

from odoo.addons.stock.models.stock_rule import ProcurementException

from .dist_exception import OPEN_STATES

_logger = logging.getLogger(__name__)

# Exceptions whose order misses stock: what replenishment answers.
REPLENISHED_TYPES = ("shortage", "at_risk")
# Requests for quotation still waiting for the buyer.
RFQ_STATES = ("draft", "sent", "to approve")
# Who may ask for a replenishment (the RFQ itself is made as Odoo's scheduler does).
REPLENISH_GROUPS = (
    "sales_team.group_sale_salesman",
    "stock.group_stock_user",
    "purchase.group_purchase_user",
)


class DistReplenishment(models.AbstractModel):
    """Orders what a shortage misses, the way Odoo's replenishment does.

    The missing quantity comes from the supply plan of the exception scan:
    for each waiting sales move of the order, what neither stock nor a
    receipt planned by its deadline covers. It is ordered with a procurement
    on the warehouse's Buy route, as a reordering rule does: Odoo picks the
    vendor (supplier info), dates the order by its lead time and adds the
    line to an open request for quotation of that vendor, or creates one.
    The RFQ lines are linked to the exceptions of the order and the RFQ to
    the order; the buyer gets an activity to confirm it.
    """

    _name = "dist.replenishment"
    _description = "Replenishment from Shortages"

    @api.model
    def _dist_replenish(self, exceptions, scan=None):
        """Request the missing quantities of the orders of ``exceptions``.

        :return: the purchase order lines created or increased
        :raise UserError: when nothing is missing, the order already waits for
            an RFQ, or Odoo cannot buy a product (no vendor, no Buy route)
        """
        todo = self._dist_todo(exceptions, scan)
        lines = self.env["purchase.order.line"]
        for order, (targets, missing) in todo.items():
            pending = targets.dist_replenishment_ids.filtered(
                lambda line: line.order_id.state in RFQ_STATES
            )
            if pending:
                raise UserError(
                    self.env._(
                        "%(order)s already waits for %(rfq)s: confirm it (or cancel it to "
                        "order again).",
                        order=order.name,
                        rfq=", ".join(pending.order_id.mapped("name")),
                    )
                )
            if not missing:
                raise UserError(
                    self.env._(
                        "Nothing is missing for %(order)s: its lines are covered by stock, by "
                        "receipts planned in time or by what was already ordered for it. The "
                        "risk comes from elsewhere: %(why)s",
                        order=order.name,
                        why=order.dist_risk_reasons or self.env._("see the exception."),
                    )
                )
            lines |= self._dist_order(order, targets, missing)
        return lines

    @api.model
    def _dist_replenish_automatically(self, scan):
        """Replenish the open shortages and orders at risk of the companies that
        ask for it, above their quantity or value, for products with a vendor.
        A failure is noted on the exception; it never stops the scan."""
        companies = self.env["res.company"].sudo().search([("dist_replenish_auto", "=", True)])
        if not companies:
            return
        exceptions = (
            self.env["dist.exception"]
            .sudo()
            .search(
                [
                    ("company_id", "in", companies.ids),
                    ("exception_type", "in", REPLENISHED_TYPES),
                    ("state", "in", OPEN_STATES),
                    ("sale_order_id", "!=", False),
                ]
            )
        )
        for order, (targets, missing) in self._dist_todo(exceptions, scan).items():
            if targets.dist_replenishment_ids.filtered(
                lambda line: line.order_id.state in RFQ_STATES
            ):
                continue
            company = order.company_id.sudo()
            wanted = [
                (move, quantity, product, warehouse)
                for move, quantity, product, warehouse in missing
                if product.with_company(company).seller_ids
                and self._dist_above_threshold(company, product, quantity)
            ]
            if not wanted:
                continue
            try:
                with self.env.cr.savepoint():
                    self._dist_order(order, targets, wanted)
            except (UserError, ProcurementException) as error:
                message = error.args[0] if isinstance(error, UserError) else str(error)
                _logger.info("Automatic replenishment of %s failed: %s", order.name, message)
                targets[:1].message_post(
                    body=self.env._("Automatic replenishment failed: %(error)s", error=message),
                    subtype_xmlid="mail.mt_note",
                )

    @api.model
    def _dist_above_threshold(self, company, product, quantity):
        min_qty, min_value = company.dist_replenish_min_qty, company.dist_replenish_min_value
        if not min_qty and not min_value:
            return True
        value = quantity * product.with_company(company).standard_price
        return bool((min_qty and quantity >= min_qty) or (min_value and value >= min_value))

    @api.model
    def _dist_todo(self, exceptions, scan=None):
        """{order: (its open shortage and at-risk exceptions, [(move row,
        quantity missing by its deadline, product, warehouse)])}."""
        exceptions = exceptions.filtered(
            lambda e: e.exception_type in REPLENISHED_TYPES and e.state in OPEN_STATES
        )
        orders = exceptions.sudo().sale_order_id
        if not orders:
            return {}
        scanner = self.env["dist.exception.scanner"]
        if scan is None:
            scan = {
                "now": fields.Datetime.now(),
                "product_ids": orders.order_line.move_ids.product_id.ids,
            }
        plan = scanner._dist_supply_plan(scan)["cover"]
        order_ids = set(orders.ids)
        missing = defaultdict(list)
        for move, __, __, short in plan.values():
            if short > 0 and move["order_id"] in order_ids:
                missing[move["order_id"]].append(move)
        Product = self.env["product.product"].sudo()
        Warehouse = self.env["stock.warehouse"].sudo()
        targets = (
            self.env["dist.exception"]
            .sudo()
            .search(
                [
                    ("sale_order_id", "in", orders.ids),
                    ("exception_type", "in", REPLENISHED_TYPES),
                    ("state", "in", OPEN_STATES),
                ]
            )
            .grouped("sale_order_id")
        )
        todo = {}
        for order in orders:
            order_targets = targets.get(order, exceptions.browse())
            # What was ordered for the order and not received yet is on its
            # way, even when it arrives after the deadline: not ordered again.
            ordered = self._dist_on_order(order_targets)
            rows = []
            for move in missing[order.id]:
                product = Product.browse(move["product_id"])
                quantity = plan[move["id"]][3]
                covered = min(quantity, ordered[product])
                ordered[product] -= covered
                if product.uom_id.compare(quantity - covered, 0.0) > 0:
                    rows.append(
                        (move, quantity - covered, product, Warehouse.browse(move["warehouse_id"]))
                    )
            todo[order] = (order_targets, rows)
        return todo

    @api.model
    def _dist_on_order(self, exceptions):
        """{product: quantity still to receive on the confirmed purchase lines
        replenishing ``exceptions``}, in the product's unit."""
        ordered = defaultdict(float)
        for line in exceptions.sudo().dist_replenishment_ids:
            if line.order_id.state in ("purchase", "done"):
                ordered[line.product_id] += line.product_uom_id._compute_quantity(
                    max(line.product_qty - line.qty_received, 0.0), line.product_id.uom_id
                )
        return ordered

    @api.model
    def _dist_order(self, order, targets, missing):
        """Run the procurements of one order's missing quantities; link the
        RFQ lines to its exceptions, the RFQs to the order; tell the buyer."""
        company = order.company_id.sudo()
        route = self.env.ref("purchase_stock.route_warehouse0_buy", raise_if_not_found=False)
        if not route or not route.active:
            raise UserError(
                self.env._(
                    "The Buy route is archived: restore it in Inventory > Configuration > "
                    "Routes to replenish from shortages."
                )
            )
        Rule = self.env["stock.rule"].sudo().with_company(company)
        now = fields.Datetime.now()
        needs = defaultdict(lambda: [0.0, None])
        for move, quantity, product, warehouse in missing:
            need = needs[product, warehouse]
            need[0] += quantity
            need[1] = min(need[1] or move["deadline"], move["deadline"])
        procurements = []
        for (product, warehouse), (quantity, deadline) in needs.items():
            location = warehouse.lot_stock_id
            rules = product._get_rules_from_location(location, route_ids=route)
            delays, __ = rules.with_context(bypass_delay_description=True)._get_lead_days(product)
            planned = max(deadline, now + timedelta(days=delays["total_delay"]))
            dates = product._get_dates_info(planned, location, route_ids=route)
            procurements.append(
                Rule.Procurement(
                    product,
                    product.uom_id.round(quantity),
                    product.uom_id,
                    location,
                    product.display_name,
                    order.name,
                    company,
                    {
                        "route_ids": route,
                        "warehouse_id": warehouse,
                        "date_planned": planned,
                        "date_order": dates["date_order"],
                        "date_deadline": deadline,
                    },
                )
            )
        before = self._dist_rfq_quantities(company, needs)
        try:
            Rule.with_context(from_orderpoint=True).run(procurements, raise_user_error=False)
        except ProcurementException as error:
            raise UserError(
                "\n".join(message for __, message in error.procurement_exceptions)
            ) from error
        lines = self._dist_rfq_lines(company, needs, before)
        if not lines:
            raise UserError(
                self.env._(
                    "Odoo's procurement ordered nothing for %(order)s from a vendor: check "
                    "the routes of %(products)s.",
                    order=order.name,
                    products=", ".join(product.display_name for product, __ in needs),
                )
            )
        self._dist_link(order, targets, lines)
        return lines

    @api.model
    def _dist_rfq_quantities(self, company, needs):
        """{purchase order line: quantity} of the open RFQ lines of these products."""
        lines = (
            self.env["purchase.order.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("product_id", "in", [product.id for product, __ in needs]),
                    ("order_id.state", "in", RFQ_STATES),
                ]
            )
        )
        return {line: line.product_qty for line in lines}

    @api.model
    def _dist_rfq_lines(self, company, needs, before):
        """The RFQ lines the procurements created or increased."""
        self.env.flush_all()
        after = self._dist_rfq_quantities(company, needs)
        return self.env["purchase.order.line"].union(
            *(line for line, quantity in after.items() if quantity > before.get(line, 0.0))
        )

    @api.model
    def _dist_link(self, order, targets, lines):
        rfqs = lines.order_id
        rfqs.sudo().write(
            {"reference_ids": [Command.link(ref.id) for ref in order.stock_reference_ids]}
        )
        for exception in targets.sudo():
            vals = {"dist_replenishment_ids": [Command.link(line.id) for line in lines]}
            if not exception.purchase_order_id or exception.purchase_order_id.state == "cancel":
                vals["purchase_order_id"] = rfqs[:1].id
            exception.write(vals)
        summary = Markup("<ul>%s</ul>") % Markup().join(
            Markup("<li>%s</li>")
            % self.env._(
                "%(quantity)s %(uom)s %(product)s on %(rfq)s (%(vendor)s), planned %(date)s",
                quantity=line.product_qty,
                uom=line.product_uom_id.name,
                product=line.product_id.display_name,
                rfq=line.order_id.name,
                vendor=line.order_id.partner_id.display_name,
                date=fields.Date.to_string(line.date_planned.date()),
            )
            for line in lines
        )
        requested_by = self.env.user.name
        for exception in targets.sudo():
            exception.message_post(
                body=self.env._("Replenishment requested by %(user)s:", user=requested_by)
                + summary,
                subtype_xmlid="mail.mt_note",
            )
        today = fields.Date.context_today(self)
        for rfq in rfqs.sudo():
            buyer = rfq.user_id or order.company_id.sudo().dist_replenish_user_id
            rfq.message_post(
                body=self.env._(
                    "Requested by %(user)s for %(order)s (%(customer)s), whose delivery "
                    "misses stock.",
                    user=requested_by,
                    order=order.name,
                    customer=order.partner_id.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            if buyer:
                rfq.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=today,
                    summary=self.env._("Confirm for %(order)s", order=order.name),
                    note=self.env._(
                        "%(order)s (%(customer)s) waits for these goods: confirm the request "
                        "for quotation with the vendor.",
                        order=order.name,
                        customer=order.partner_id.display_name,
                    ),
                    user_id=buyer.id,
                )

    @api.model
    def _dist_check_access(self):
        if not self.env.su and not any(self.env.user.has_group(g) for g in REPLENISH_GROUPS):
            raise AccessError(
                self.env._(
                    "Only sales, inventory and purchase users can replenish a shortage; "
                    "ask a buyer."
                )
            )
