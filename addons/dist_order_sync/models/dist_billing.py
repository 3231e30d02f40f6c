# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta

import psycopg2.errors
import pytz

from odoo import api, fields, models
from odoo.exceptions import LockError, UserError
from odoo.fields import Command
from odoo.tools import SQL, float_round

_logger = logging.getLogger(__name__)

# Another transaction holds or changed what we want to bill: skip, retry later.
CONCURRENCY_ERRORS = (
    LockError,
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.DeadlockDetected,
)
# Pickings per transaction in the billing cron.
BILLING_BATCH = 500


class DistBilling(models.AbstractModel):
    """Delivery-triggered invoicing: the one place where a done transfer
    becomes an invoice or a credit note.

    Validation marks the transfers of customers billed automatically To Bill
    (``_dist_start``); ``_dist_bill`` bills them, whether called at validation,
    by the catch-up cron (``_dist_bill_due``) or by Retry Billing. Failures
    are recorded on the transfer and reported as exceptions; the warehouse
    operation is never undone.
    """

    _name = "dist.billing"
    _description = "Delivery Billing"

    # ------------------------------------------------------------------
    # Marking: what validation leaves to bill
    # ------------------------------------------------------------------
    @api.model
    def _dist_start(self, pickings):
        """Mark the done transfers of customers billed automatically To Bill.

        Transfers of customers on the manual policy are left alone (no write,
        no query beyond reading the policy). Returns the transfers marked.
        """
        marked = defaultdict(pickings.browse)
        for picking in pickings:
            order = picking.sale_id
            if picking.state != "done" or not order or picking.dist_billing_state != "none":
                continue
            company = picking.company_id
            customer = order.partner_id.commercial_partner_id.with_company(company)
            policy = customer.dist_billing_policy
            if policy == "manual":
                continue
            due = picking.date_done
            if policy == "consolidated":
                due = self._dist_period_end(company, due, customer.dist_billing_period)
            marked[policy, due] |= picking
        started = pickings.browse()
        for (policy, due), candidates in marked.items():
            group = candidates.filtered(lambda p: any(m._dist_is_billable() for m in p.move_ids))
            group._dist_write_billing(
                {
                    "dist_billing_policy": policy,
                    "dist_billing_state": "to_bill",
                    "dist_billing_due": due,
                }
            )
            started |= group
        return started

    @api.model
    def _dist_period_end(self, company, when, period):
        """Start of the billing period after the one holding ``when`` (UTC)."""
        tz = pytz.timezone(company.partner_id.tz or self.env.user.tz or "UTC")
        day = pytz.utc.localize(when).astimezone(tz).date()
        if period == "daily":
            start = day + timedelta(days=1)
        elif period == "weekly":
            start = day + timedelta(days=7 - day.weekday())
        else:
            start = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        local = tz.localize(datetime.combine(start, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------------
    # Billing
    # ------------------------------------------------------------------
    @api.model
    def _dist_bill(self, pickings):
        """Invoice what these done transfers delivered, credit what they took back.

        - it bills only transfers To Bill that it can lock; the others are left
          to the cron (another transaction is billing or changing them);
        - it bills each move's quantity not yet on one of its invoice lines,
          never more than the sales line has left to invoice (or to credit),
          so a retry, a concurrent run or a manual credit note never bills
          the same delivered quantity twice;
        - errors are rolled back, the transfer stays To Bill (Failed after
          too many attempts) and a billing failure goes to the exception
          queue; the validation of the transfer is never undone.

        :return: the invoices and credit notes created
        """
        invoices = self.env["account.move"]
        # What the caller wrote (the validation) is written now, outside the
        # savepoints: its own errors are the caller's, not billing failures.
        self.env.flush_all()
        locked = self._dist_lock(pickings)
        if locked != pickings:
            self._dist_trigger()
        pickings = locked.filtered(
            lambda p: p.state == "done" and p.dist_billing_state == "to_bill"
        )
        if not pickings:
            return invoices
        plans = self._dist_plans(pickings)
        unsettled = pickings.browse()
        try:
            invoices = self._dist_run_plans(plans)
        except CONCURRENCY_ERRORS:
            self._dist_trigger()
            return invoices
        except Exception:
            for plan in plans:
                try:
                    invoices |= self._dist_run_plans([plan])
                except CONCURRENCY_ERRORS:
                    self._dist_trigger()
                    unsettled |= plan["pickings"]
                except Exception as error:
                    self._dist_failed(plan["pickings"], error)
                    unsettled |= plan["pickings"]
        self._dist_settle(pickings - unsettled)
        return invoices

    @api.model
    def _dist_lock(self, pickings):
        """These transfers but those another transaction holds or has changed."""
        if not pickings:
            return pickings
        try:
            with self.env.cr.savepoint(flush=False):
                return pickings.try_lock_for_update()
        except CONCURRENCY_ERRORS:
            return pickings.browse()

    @api.model
    def _dist_billed_by_move(self, moves):
        """{move: quantity invoiced (credited negative) from it, in the unit of
        its sales line}, over the invoices that are not cancelled."""
        billed = defaultdict(float)
        for move, uom, quantity in self.env["account.move.line"]._read_group(
            [("dist_stock_move_id", "in", moves.ids), ("parent_state", "!=", "cancel")],
            ["dist_stock_move_id", "product_uom_id"],
            ["quantity:sum"],
        ):
            billed[move] += uom._compute_quantity(quantity, move.sale_line_id.product_uom_id)
        return billed

    @api.model
    def _dist_move_signs(self, pickings):
        """+1 for each done move that delivered to the customer, -1 for each
        customer return to credit; the same moves sale_stock counts in the
        delivered quantity of the sales line."""
        moves = pickings.move_ids.filtered(lambda m: m.state == "done" and m.sale_line_id)
        signs = {}
        for line in moves.sale_line_id:
            outgoing, incoming = line._get_outgoing_incoming_moves()
            signs.update(dict.fromkeys(outgoing & moves, 1))
            signs.update(dict.fromkeys(incoming & moves, -1))
        return signs

    @api.model
    def _dist_unbilled(self, pickings):
        """Quantity each billable move of these transfers still has to bill.

        A move bills its done quantity minus what its own invoice lines
        already bill. Per sales line, the run may bring the invoiced quantity
        closer to the delivered quantity but never past it: what a manual
        invoice or credit note already settled is not billed again.

        :return: {move: (sign, quantity in the unit of its sales line)}; sign
            is 1 to invoice, -1 to credit
        """
        signs = self._dist_move_signs(pickings)
        if not signs:
            return {}
        moves = self.env["stock.move"].browse(m.id for m in signs).sorted("id")
        billed = self._dist_billed_by_move(moves)
        todo = {}
        for move in moves:
            done = move.product_uom._compute_quantity(
                move.quantity, move.sale_line_id.product_uom_id, rounding_method="HALF-UP"
            )
            todo[move] = max(0.0, done - billed[move])
        # Odoo's own sum, not the stored qty_invoiced: that one keeps its old
        # value when every invoice of the line is cancelled.
        lines = moves.sale_line_id
        invoiced = lines._prepare_qty_invoiced()
        for line, line_moves in moves.grouped("sale_line_id").items():
            room = line.qty_delivered - invoiced[line]
            net = sum(signs[m] * todo[m] for m in line_moves)
            if net > max(room, 0.0):
                excess, sign = net - max(room, 0.0), 1
            elif net < min(room, 0.0):
                excess, sign = min(room, 0.0) - net, -1
            else:
                continue
            for move in reversed(line_moves.filtered(lambda m, sign=sign: signs[m] == sign)):
                cut = min(todo[move], excess)
                todo[move] -= cut
                excess -= cut
        return {
            move: (
                signs[move],
                float_round(
                    todo[move], precision_rounding=move.sale_line_id.product_uom_id.rounding
                ),
            )
            for move in moves
        }

    @api.model
    def _dist_plans(self, pickings):
        """Group the unbilled quantities into the invoices to create.

        Each Delivery: one invoice (or credit note) per transfer.
        Consolidated: one per customer, company, currency, fiscal position and
        payment terms, invoices and credit notes apart.
        """
        plans = {}
        terms_cache = {}
        for move, (sign, quantity) in self._dist_unbilled(pickings).items():
            if not quantity:
                continue
            picking = move.picking_id
            order = move.sale_line_id.order_id
            move_type = "out_invoice" if sign > 0 else "out_refund"
            if picking.dist_billing_policy == "delivery":
                key = (picking.id, move_type)
            else:
                fiscal_position = order.fiscal_position_id or (
                    order.fiscal_position_id._get_fiscal_position(order.partner_invoice_id)
                )
                key = (
                    order.company_id.id,
                    order.partner_invoice_id.id,
                    order.currency_id.id,
                    fiscal_position.id,
                    order.payment_term_id.id,
                    move_type,
                )
            partner_key = (order.partner_id, order.company_id)
            if partner_key not in terms_cache:
                terms_cache[partner_key] = order.partner_id.with_company(
                    order.company_id
                )._dist_billing_terms()
            plan = plans.setdefault(
                key,
                {
                    "move_type": move_type,
                    "terms": terms_cache[partner_key],
                    "pickings": pickings.browse(),
                    "orders": self.env["sale.order"],
                    "lines": [],
                },
            )
            plan["pickings"] |= picking
            plan["orders"] |= order
            plan["lines"].append((move, quantity))
        return list(plans.values())

    @api.model
    def _dist_invoice_vals(self, plan):
        """Values of one plan's invoice, built by the sales order as Odoo does."""
        orders = plan["orders"]
        first = orders[0]
        order = first.with_company(first.company_id).with_context(
            lang=first.partner_invoice_id.lang or self.env.lang
        )
        vals = order._prepare_invoice()
        vals["move_type"] = plan["move_type"]
        if len(orders) > 1:
            vals["invoice_origin"] = ", ".join(orders.mapped("name"))
            vals["ref"] = ", ".join(sorted({o.client_order_ref or o.name for o in orders}))[:2000]
            references = set(orders.mapped("reference"))
            vals["payment_reference"] = references.pop() if len(references) == 1 else False
        pickings = plan["pickings"]
        delivered_on = fields.Date.context_today(order, max(pickings.mapped("date_done")))
        vals["delivery_date"] = delivered_on
        if plan["terms"].date_delivery:
            vals["invoice_date"] = delivered_on
        vals["invoice_line_ids"] = [
            Command.create(
                move.sale_line_id.with_env(order.env)._prepare_invoice_line(
                    quantity=quantity, sequence=sequence, dist_stock_move_id=move.id
                )
            )
            for sequence, (move, quantity) in enumerate(plan["lines"], start=1)
        ]
        return vals

    @api.model
    def _dist_run_plans(self, plans):
        """Create, post and check the invoices of ``plans`` in one savepoint."""
        with self.env.cr.savepoint():
            plans = [plan for plan in plans if plan["lines"]]
            if not plans:
                return self.env["account.move"]
            lines = self.env["sale.order.line"].union(
                *(move.sale_line_id for plan in plans for move, __ in plan["lines"])
            )
            lines.lock_for_update(allow_referencing=True)
            vals_list = [self._dist_invoice_vals(plan) for plan in plans]
            invoices = (
                self.env["sale.order"]
                ._dist_as_system()
                ._create_account_invoices(vals_list, final=False)
            )
            if len(invoices) != len(plans):
                raise UserError(
                    self.env._(
                        "Odoo created %(created)s invoices instead of %(expected)s.",
                        created=len(invoices),
                        expected=len(plans),
                    )
                )
            to_post = self.env["account.move"].union(
                *(inv for inv, plan in zip(invoices, plans, strict=True) if plan["terms"].post)
            )
            result = to_post.action_post() if to_post else False
            not_posted = to_post.filtered(
                lambda inv: (
                    inv.state != "posted"
                    and not (inv.move_type == "out_refund" and inv.approval_state == "pending")
                )
            )
            if not_posted:
                raise UserError(
                    self.env._(
                        "%(invoices)s could not be posted (posting returned %(result)s).",
                        invoices=", ".join(not_posted.mapped("display_name")),
                        result=(isinstance(result, dict) and result.get("name")) or result,
                    )
                )
            return invoices

    @api.model
    def _dist_settle(self, pickings):
        """Mark Billed the transfers with nothing left to bill; report the others."""
        left = defaultdict(float)
        for move, (__, quantity) in self._dist_unbilled(pickings).items():
            left[move.picking_id] += quantity
        settled = pickings.filtered(lambda p: not left[p])
        if settled:
            failed = settled.filtered("dist_billing_error")
            settled._dist_write_billing(
                {
                    "dist_billing_state": "billed",
                    "dist_billing_attempts": 0,
                    "dist_billing_error": False,
                }
            )
            if failed:
                self.env["dist.exception"]._dist_resolve("billing_failure", failed)
        unsettled = pickings - settled
        if unsettled:
            self._dist_failed(
                unsettled,
                UserError(self.env._("Quantities are still unbilled after invoicing.")),
            )

    @api.model
    def _dist_failed(self, pickings, error):
        """Record a failed billing attempt; the transfer stays To Bill."""
        names = ", ".join(pickings.mapped("name"))
        if isinstance(error, UserError):
            message = str(error.args[0])
            _logger.warning("Billing of %s failed: %s", names, message)
        else:
            # An unexpected error: the traceback is for the administrator,
            # the message on the exception for people.
            message = f"{type(error).__name__}: {error}"
            _logger.error("Billing of %s failed: %s", names, message, exc_info=error)
        for picking in pickings:
            attempts = picking.dist_billing_attempts + 1
            limit = picking.company_id.dist_billing_retry_limit
            picking._dist_write_billing(
                {
                    "dist_billing_attempts": attempts,
                    "dist_billing_error": message,
                    "dist_billing_state": "failed" if attempts >= limit else "to_bill",
                }
            )
        self.env["dist.exception"]._dist_report(
            "billing_failure",
            [{**picking._dist_exception_links(), "description": message} for picking in pickings],
        )

    @api.model
    def _dist_reopen(self, pickings):
        """Billed transfers whose invoice was cancelled or deleted are To Bill again."""
        billed = pickings.filtered(lambda p: p.dist_billing_state == "billed")
        if not billed:
            return
        reopened = pickings.browse(
            {
                move.picking_id.id
                for move, (__, quantity) in self._dist_unbilled(billed).items()
                if quantity
            }
        )
        if reopened:
            reopened._dist_write_billing({"dist_billing_state": "to_bill"})
            self._dist_trigger()

    @api.model
    def _dist_trigger(self):
        """Wake the billing cron, unless a wake-up is already pending."""
        cron = self.env.ref("dist_order_sync.ir_cron_dist_bill_due").sudo()
        pending = self.env.execute_query(
            SQL(
                "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= %s LIMIT 1",
                cron.id,
                fields.Datetime.now(),
            )
        )
        if not pending:
            cron._trigger()

    # ------------------------------------------------------------------
    # Catch-up cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_dist_bill_due(self):
        self._dist_bill_due(commit=True)

    @api.model
    def _dist_bill_due(self, commit=False):
        """Bill every transfer whose billing is due: consolidated periods that
        ended, and deliveries whose billing failed or was skipped. With
        ``commit`` (the cron), commits after each batch."""
        progress = self.env["dist.exception.scanner"]._dist_progress(commit)
        pickings = self.env["stock.picking"].search(
            [
                ("dist_billing_state", "=", "to_bill"),
                ("dist_billing_due", "<=", fields.Datetime.now()),
            ],
            order="company_id, id",
        )
        progress(remaining=len(pickings))
        for batch in self._dist_batches(pickings):
            self._dist_bill(batch)
            if not progress(len(batch)):
                return False
        return True

    @api.model
    def _dist_batches(self, pickings):
        """Split into batches that never split one customer's consolidated invoice."""
        by_customer = pickings.grouped(lambda p: (p.company_id, p.sale_id.partner_invoice_id))
        batch = pickings.browse()
        for group in by_customer.values():
            if batch and len(batch) + len(group) > BILLING_BATCH:
                yield batch
                batch = pickings.browse()
            batch |= group
        if batch:
            yield batch
