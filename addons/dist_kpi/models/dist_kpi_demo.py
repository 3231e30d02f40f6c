# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import random
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import SQL

DEMO_DAYS = 60


class DistKpi(models.Model):
    _inherit = "dist.kpi"

    @api.model
    def _dist_demo_history(self):
        """Two months of the demo company, so that the dashboard has something
        to show: orders confirmed, delivered (some late, some short, a few
        backorders still open), invoiced, returned; approvals decided and
        pending; exceptions. Everything is done by Odoo now, then dated back
        with SQL; the facts and the daily snapshots are then rebuilt."""
        rng = random.Random(7)
        company = self.env.ref("base.main_company")
        env = self.env(context=dict(self.env.context, tracking_disable=True))
        env = env["res.users"].with_company(company).env
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        products = env["product.product"].create(
            [
                {
                    "name": name,
                    "type": "consu",
                    "is_storable": True,
                    "invoice_policy": "delivery",
                    "list_price": price,
                    "standard_price": round(price * 0.6, 2),
                }
                for name, price in (
                    ("Pallet of Tinned Tomatoes", 180.0),
                    ("Case of Olive Oil", 65.0),
                    ("Sack of Basmati Rice", 42.0),
                )
            ]
        )
        for product in products:
            env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 5000)
        key_account = env["res.partner.category"].create({"name": "Key Account"})
        customers = env["res.partner"].create(
            [
                {
                    "name": "Azure Foods",
                    "is_company": True,
                    "category_id": [Command.set(key_account.ids)],
                },
                {"name": "Harbor Grocers", "is_company": True},
                {"name": "Lakeside Restaurants", "is_company": True},
                {"name": "Old Town Deli", "is_company": True},
            ]
        )
        now = fields.Datetime.now()
        dated = []
        salesperson = self.env.ref("base.user_demo")
        for day in range(DEMO_DAYS, 0, -1):
            for __ in range(2):
                confirmed = now - timedelta(days=day, hours=rng.randint(0, 8))
                order = env["sale.order"].create(
                    {
                        "partner_id": rng.choice(customers).id,
                        "user_id": salesperson.id,
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": rng.randint(2, 20)}
                            )
                            for product in rng.sample(list(products), rng.randint(1, 3))
                        ],
                    }
                )
                order.action_confirm()
                dated.append(self._dist_demo_fulfil(order, confirmed, now, rng))
        env.flush_all()
        self._dist_demo_date_back(dated)
        self._dist_demo_approvals(env, customers, products, now)
        self._dist_demo_exceptions(env, dated, now, rng)
        env.flush_all()
        env["dist.kpi.fulfilment"]._dist_backfill()
        today = fields.Date.context_today(self)
        Value = env["dist.kpi.value"]
        for day in range(DEMO_DAYS, 0, -1):
            Value._dist_snapshot(company, today - timedelta(days=day), with_live=day == 1)
        return True

    @api.model
    def _dist_demo_fulfil(self, order, confirmed, now, rng):
        """Deliver and invoice ``order`` now; return the dates to give it."""
        promised = confirmed + timedelta(days=rng.choice((1, 2, 2, 3)))
        shipped = confirmed + timedelta(hours=rng.randint(10, 80))
        picking = order.picking_ids
        short = rng.random() < 0.15
        for move in picking.move_ids:
            move.quantity = (
                max(1, int(move.product_uom_qty * 0.6)) if short else move.product_uom_qty
            )
            move.picked = True
        result = picking.button_validate()
        backorder, rest_shipped = None, None
        if isinstance(result, dict):
            wizard = self.env[result["res_model"]].with_context(**result["context"]).create({})
            wizard.process()
            backorder = order.picking_ids - picking
            rest_shipped = shipped + timedelta(days=rng.randint(2, 6))
            # The backorders of the last ten days are still open.
            if confirmed < now - timedelta(days=10):
                backorder.move_ids.picked = True
                backorder.button_validate()
            else:
                rest_shipped = None
        invoiced = None
        last = rest_shipped or shipped
        if rng.random() < 0.75 and last + timedelta(days=1) < now:
            invoiced = last + timedelta(hours=rng.randint(2, 96))
            invoices = order._create_invoices()
            invoices.action_post()
            if rng.random() < 0.1:
                self._dist_demo_return(picking)
        return {
            "order": order,
            "confirmed": confirmed,
            "promised": promised,
            "picking": picking,
            "shipped": shipped,
            "backorder": backorder,
            "rest_shipped": rest_shipped,
            "invoiced": min(invoiced, now) if invoiced else None,
        }

    @api.model
    def _dist_demo_return(self, picking):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = 1
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.picked = True
        returned.button_validate()

    @api.model
    def _dist_demo_date_back(self, dated):
        for item in dated:
            order = item["order"]
            self.env.execute_query(
                SQL(
                    "UPDATE sale_order SET date_order = %s, commitment_date = %s WHERE id = %s",
                    item["confirmed"],
                    item["promised"],
                    order.id,
                )
            )
            for picking, at in (
                (item["picking"], item["shipped"]),
                (item["backorder"], item["rest_shipped"]),
            ):
                if not picking:
                    continue
                self.env.execute_query(
                    SQL(
                        """UPDATE stock_picking SET scheduled_date = %(promised)s,
                                  date_done = CASE WHEN state = 'done' THEN %(at)s::timestamp END
                            WHERE id = %(id)s;
                           UPDATE stock_move SET date = COALESCE(%(at)s::timestamp, %(promised)s)
                            WHERE picking_id = %(id)s""",
                        promised=item["promised"],
                        at=at,
                        id=picking.id,
                    )
                )
            returns = order.picking_ids.filtered(lambda p, item=item: p.return_id)
            if returns and item["invoiced"]:
                self.env.execute_query(
                    SQL(
                        "UPDATE stock_move SET date = %s WHERE picking_id = ANY(%s)",
                        item["invoiced"] + timedelta(days=2),
                        returns.ids,
                    )
                )
            if item["invoiced"]:
                self.env.execute_query(
                    SQL(
                        """UPDATE account_move SET create_date = %s, invoice_date = %s, date = %s
                            WHERE id = ANY(%s)""",
                        item["invoiced"],
                        item["invoiced"].date(),
                        item["invoiced"].date(),
                        order.invoice_ids.ids,
                    )
                )
        self.env.invalidate_all()

    @api.model
    def _dist_demo_approvals(self, env, customers, products, now):
        """Orders with a discount the demo matrix holds: approved, rejected,
        pending."""
        admin = self.env.ref("base.user_admin")
        plan = [
            (12, "approve", 5),
            (9, "approve", 20),
            (6, "reject", 30),
            (3, None, 0),
            (1, None, 0),
        ]
        for days_ago, decision, hours in plan:
            order = env["sale.order"].create(
                {
                    "partner_id": customers[1].id,
                    # The matrix asks on behalf of the salesperson.
                    "user_id": self.env.ref("base.user_demo").id,
                    "order_line": [
                        Command.create(
                            {"product_id": products[1].id, "product_uom_qty": 5, "discount": 20}
                        )
                    ],
                }
            )
            order.action_confirm()
            requests = order.approval_request_ids.filtered(lambda r: r.state == "pending")
            if decision == "approve":
                requests.with_user(admin).action_approve()
            elif decision == "reject":
                requests.with_user(admin).action_reject("Discount not justified")
            requested = now - timedelta(days=days_ago)
            env.flush_all()
            self.env.execute_query(
                SQL(
                    """UPDATE dist_approval_request
                          SET requested_on = %(at)s, pending_since = %(at)s,
                              decided_on = CASE WHEN decided_on IS NOT NULL
                                                THEN %(at)s + %(hours)s * interval '1 hour' END
                        WHERE res_model = 'sale.order' AND res_id = %(id)s;
                       UPDATE sale_order SET date_order = %(at)s WHERE id = %(id)s""",
                    at=requested,
                    hours=hours,
                    id=order.id,
                )
            )

    @api.model
    def _dist_demo_exceptions(self, env, dated, now, rng):
        """Late deliveries of the period, each resolved after a while (the
        exception scanner opens those of the deliveries still late)."""
        late = [item for item in dated if item["shipped"] > item["promised"]]
        for item in late[:: max(1, len(late) // 10)]:
            detected = item["promised"] + timedelta(hours=2)
            env["dist.exception"].sudo().create(
                {
                    "name": f"Late Delivery: {item['picking'].name}",
                    "exception_type": "late_delivery",
                    "res_model": "stock.picking",
                    "res_id": item["picking"].id,
                    "picking_id": item["picking"].id,
                    "sale_order_id": item["order"].id,
                    "partner_id": item["order"].partner_id.id,
                    "company_id": item["order"].company_id.id,
                    "detected_on": detected,
                    "state": "resolved",
                    "resolved_on": min(detected + timedelta(hours=rng.randint(4, 60)), now),
                }
            )
