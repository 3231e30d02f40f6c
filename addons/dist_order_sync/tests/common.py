# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


def invoice_with_wizard(orders, user, consolidated=True):
    """Odoo's own way: the user runs the invoicing wizard on ``orders``
    (one invoice per customer, or per order when not ``consolidated``)."""
    wizard = Form(
        orders.env["sale.advance.payment.inv"]
        .with_user(user)
        .with_context(active_model="sale.order", active_ids=orders.ids)
    )
    if not consolidated:
        wizard.consolidated_billing = False
    wizard.save().create_invoices()


class DistOrderSyncCommon(AccountTestInvoicingCommon):
    """A company with stock, customers on each billing policy, and one user per
    role: salesman, warehouse user, invoicing user, distribution manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.product = cls._create_product(
            name="Crate of Apples",
            is_storable=True,
            invoice_policy="delivery",
            lst_price=100.0,
        )
        cls.product_b = cls._create_product(
            name="Box of Pears",
            is_storable=True,
            invoice_policy="delivery",
            lst_price=40.0,
        )
        for product in cls.product | cls.product_b:
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.warehouse.lot_stock_id, 1000.0
            )
        cls.salesman = cls._dist_user("dist_salesman", "sales_team.group_sale_salesman")
        cls.stock_user = cls._dist_user("dist_stock_user", "stock.group_stock_user")
        cls.billing_user = cls._dist_user("dist_billing_user", "account.group_account_invoice")
        cls.manager = cls._dist_user(
            "dist_manager",
            "dist_approval_matrix.group_dist_manager,sales_team.group_sale_manager,"
            "stock.group_stock_manager,account.group_account_manager",
        )
        cls.company.dist_billing_user_id = cls.billing_user
        cls.customer_delivery = cls._create_customer("Northwind", "delivery")
        cls.customer_consolidated = cls._create_customer("Contoso", "consolidated")
        cls.customer_manual = cls._create_customer("Fabrikam", None)

    @classmethod
    def _dist_user(cls, login, groups, company=None):
        company = company or cls.company
        return new_test_user(
            cls.env,
            login=f"{login}_{company.id}",
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def _create_customer(cls, name, policy, **values):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "property_payment_term_id": cls.pay_terms_a.id,
                **values,
            }
        )
        if policy:
            partner.dist_billing_policy = policy
        return partner

    # ------------------------------------------------------------------
    # Business steps, each done by the role that does it
    # ------------------------------------------------------------------
    def _create_order(self, partner, lines=None, user=None, **values):
        """A sales order created and confirmed by the salesman."""
        user = user or self.salesman
        lines = lines or [(self.product, 10.0)]
        order = (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": qty})
                        for product, qty in lines
                    ],
                    **values,
                }
            )
        )
        order.action_confirm()
        return order.with_user(self.env.user)

    @classmethod
    def _dist_second_company(cls, name):
        """A second company with ``product`` in stock and its own salesman
        and warehouse user (``company_2``, ``warehouse_2``, ``salesman_2``,
        ``stock_user_2``)."""
        cls.company_2 = cls.setup_other_company(name=name)["company"]
        cls.warehouse_2 = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_2.id)], limit=1
        )
        cls.env["stock.quant"].with_company(cls.company_2)._update_available_quantity(
            cls.product, cls.warehouse_2.lot_stock_id, 100.0
        )
        cls.salesman_2 = cls._dist_user(
            "dist_salesman", "sales_team.group_sale_salesman", cls.company_2
        )
        cls.stock_user_2 = cls._dist_user(
            "dist_stock_user", "stock.group_stock_user", cls.company_2
        )

    def _bill(self):
        """What the billing cron, woken by the validation, does a moment later."""
        self.env["dist.billing"].sudo()._dist_bill_due()

    @classmethod
    def _validate_transfer(cls, picking, quantities=None, backorder=True, user=None):
        """The warehouse user validates ``picking`` with ``quantities``
        ({product: qty}, default: everything), creating a backorder or not,
        as in the UI."""
        picking = picking.with_user(user or cls.stock_user)
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.picked = True
        result = picking.button_validate()
        if isinstance(result, dict):
            wizard = Form.from_action(picking.env, result).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return picking

    def _deliver(self, picking, quantities=None, backorder=True, user=None, bill=True):
        """The warehouse user validates ``picking`` (see ``_validate_transfer``);
        then the billing cron runs (``bill``)."""
        picking = self._validate_transfer(picking, quantities, backorder, user)
        self.assertEqual(picking.state, "done")
        if bill:
            self._bill()
        return picking.with_user(self.env.user)

    @classmethod
    def _return_transfer(cls, picking, quantities, user=None):
        """The return of ``quantities`` ({product: qty}) of ``picking``, made
        by the warehouse user with Odoo's return wizard (not validated)."""
        env = picking.with_user(user or cls.stock_user).env
        wizard = (
            env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = quantities.get(line.product_id, 0.0)
        return env["stock.picking"].browse(wizard.action_create_returns()["res_id"])

    def _return(self, picking, quantities, user=None):
        """The warehouse user receives a customer return of ``quantities``."""
        return self._deliver(self._return_transfer(picking, quantities, user), user=user)

    def _invoiced(self, moves, product=None):
        """Quantity on the product lines of ``moves`` (for ``product``)."""
        lines = moves.invoice_line_ids.filtered(
            lambda line: (
                line.display_type == "product" and (not product or line.product_id == product)
            )
        )
        return sum(lines.mapped("quantity"))

    def _invoices_of(self, order):
        return order.invoice_ids.sorted("id")


class DistOrderRiskCommon(DistOrderSyncCommon):
    """Orders at risk: a fixed day in a company of Brussels, vendors with a known
    record, products without stock, a buyer, and the steps that make their
    history (receipts planned and received days later)."""

    NOW = datetime(2025, 12, 1, 9, 0)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Europe/Brussels"
        cls.buyer = cls._dist_user("dist_buyer", "purchase.group_purchase_user")
        cls.acme = cls.env["res.partner"].create(
            {"name": "Acme", "is_company": True, "buyer_id": cls.buyer.id}
        )
        cls.slowco = cls.env["res.partner"].create(
            {"name": "Slowco", "is_company": True, "buyer_id": cls.buyer.id}
        )
        cls.gearbox = cls._scarce_product("Gearbox G7", cls.acme, delay=10)
        cls.pump = cls._scarce_product("Pump P2", cls.slowco, delay=5)
        cls.spares = cls._create_product(name="Spare Parts", is_storable=True)

    @classmethod
    def _scarce_product(cls, name, vendor, delay):
        """A product without stock, bought from ``vendor`` with ``delay`` days of lead time."""
        return cls._create_product(
            name=name,
            is_storable=True,
            invoice_policy="delivery",
            standard_price=50.0,
            seller_ids=[Command.create({"partner_id": vendor.id, "price": 50.0, "delay": delay})],
        )

    def _at(self, days=0, hours=0, minutes=0):
        """``NOW`` moved by ``days``, ``hours`` and ``minutes``."""
        return self.NOW + timedelta(days=days, hours=hours, minutes=minutes)

    def _purchase(self, vendor, lines, planned, user=None):
        """A purchase order confirmed by the buyer: ``lines`` [(product, qty)]
        planned for ``planned``."""
        order = (
            self.env["purchase.order"]
            .with_user(user or self.buyer)
            .create(
                {
                    "partner_id": vendor.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_qty": quantity,
                                "price_unit": 50.0,
                                "date_planned": planned,
                            }
                        )
                        for product, quantity in lines
                    ],
                }
            )
        )
        order.button_confirm()
        return order.with_user(self.env.user)

    def _receive(self, purchase, user=None):
        """The warehouse user receives everything of ``purchase``."""
        receipts = purchase.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for receipt in receipts.with_user(user or self.stock_user):
            for move in receipt.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            receipt.button_validate()

    def _history(self, vendor, late_days, buyer=None, stock_user=None):
        """Past receipts of spare parts from ``vendor``: one per entry of
        ``late_days``, each received that many days after its planned day."""
        for index, late in enumerate(late_days):
            planned = self._at(days=-60 + 7 * index)
            with freeze_time(planned - timedelta(days=10)):
                purchase = self._purchase(vendor, [(self.spares, 1.0)], planned, user=buyer)
            with freeze_time(planned + timedelta(days=late)):
                self._receive(purchase, user=stock_user)

    def _scan(self, at=None):
        with freeze_time(at or self.NOW):
            self.assertTrue(self.env["dist.exception.scanner"]._dist_scan())

    def _quotation(self, lines, promise_days=5, **line_values):
        """A quotation of the salesman, promised ``promise_days`` after ``NOW``."""
        return (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer_manual.id,
                    "commitment_date": self._at(days=promise_days),
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": qty, **line_values}
                        )
                        for product, qty in lines
                    ],
                }
            )
        )

    def _order_for(self, lines, promise_days, partner=None, user=None, **values):
        """An order confirmed at ``NOW`` by the salesman, promised ``promise_days`` later."""
        with freeze_time(self.NOW):
            return self._create_order(
                partner or self.customer_manual,
                lines,
                user=user,
                commitment_date=self._at(days=promise_days),
                **values,
            )

    def _open_exceptions(self, exception_type, order):
        return self.env["dist.exception"].search(
            [
                ("exception_type", "=", exception_type),
                ("sale_order_id", "=", order.id),
                ("state", "in", ("open", "in_progress")),
            ]
        )
