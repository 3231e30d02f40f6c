# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command, fields

from odoo.addons.dist_approval_matrix.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.dist_order_sync.tests.common import DistOrderSyncCommon


class DistKpiCase(DistOrderSyncCommon):
    """dist_order_sync's company, products and users, customers billed
    manually, and the business steps done by the role that does them at a
    given moment, each followed by what the commit of its request does (the
    facts are stamped then)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT, tz="UTC"))
        cls.company.account_use_credit_limit = False
        cls.product_b.lst_price = 100.0
        cls.invoicing_user = cls._dist_user(
            "kpi_invoicing",
            "account.group_account_invoice,sales_team.group_sale_salesman_all_leads",
        )
        cls.sales_manager = cls._dist_user("kpi_sales_manager", "sales_team.group_sale_manager")
        cls.dist_manager = cls._dist_user(
            "kpi_dist_manager",
            "dist_approval_matrix.group_dist_manager,sales_team.group_sale_manager",
        )
        # Who reads the dashboard: Distribution user, nothing else.
        cls.viewer = cls._dist_user("kpi_viewer", "dist_approval_matrix.group_dist_user")
        # Who follows a tile to its records: reads orders, moves and purchases.
        cls.analyst = cls._dist_user(
            "kpi_analyst",
            "sales_team.group_sale_salesman_all_leads,stock.group_stock_user,"
            "purchase.group_purchase_user",
        )
        cls.customer = cls._customer("Wingtip")

    @classmethod
    def _customer(cls, name, **values):
        return cls.env["res.partner"].create({"name": name, "is_company": True, **values})

    @classmethod
    def _commit(cls):
        """What the commit of a request does: flush, then the precommit
        hooks (the fulfilment facts of the orders it touched)."""
        cls.env.cr.flush()

    # ------------------------------------------------------------------
    # Business steps, at a moment
    # ------------------------------------------------------------------
    @classmethod
    def _order(cls, at, lines, partner=None, commitment=None, user=None, **values):
        """A sales order confirmed by the salesman at ``at``;
        ``lines``: [(product, quantity)] or [(product, quantity, price)]."""
        user = user or cls.salesman
        with freeze_time(at):
            order = (
                cls.env["sale.order"]
                .with_user(user)
                .create(
                    {
                        "partner_id": (partner or cls.customer).id,
                        "commitment_date": commitment,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": line[0].id,
                                    "product_uom_qty": line[1],
                                    **({"price_unit": line[2]} if len(line) > 2 else {}),
                                }
                            )
                            for line in lines
                        ],
                        **values,
                    }
                )
            )
            order.action_confirm()
            cls._commit()
        return order.with_user(cls.env.user)

    @classmethod
    def _ship(cls, picking, at, quantities=None, backorder=True, user=None):
        """The warehouse validates ``picking`` at ``at`` with ``quantities``
        ({product: qty}, default all), keeping a backorder or not."""
        with freeze_time(at):
            picking = cls._validate_transfer(picking, quantities, backorder, user)
            cls._commit()
        return picking.with_user(cls.env.user)

    @classmethod
    def _receive_return(cls, picking, at, quantities):
        """The customer sends back ``quantities`` of ``picking``, received at ``at``."""
        with freeze_time(at):
            returned = cls._return_transfer(picking, quantities)
        return cls._ship(returned, at)

    @classmethod
    def _invoice(cls, orders, at):
        """The invoicing user invoices (or credits) what ``orders`` delivered, at ``at``."""
        with freeze_time(at):
            invoices = orders.with_user(cls.invoicing_user)._create_invoices(final=True).sudo()
            invoices.action_post()
            cls._commit()
        return invoices

    @classmethod
    def _facts(cls, order):
        return cls.env["dist.kpi.fulfilment"].search([("order_id", "=", order.id)], order="id")

    # ------------------------------------------------------------------
    # Dashboard
    # ------------------------------------------------------------------
    def _dashboard(self, user=None, **filters):
        user = user or self.viewer
        result = self.env["dist.kpi"].with_user(user).get_dashboard(filters)
        return {tile["code"]: tile for tile in result["tiles"]}

    def _drill(self, code, user=None, **filters):
        """The records the tile's drill-down lists, read as ``user``."""
        user = user or self.analyst
        action = self.env["dist.kpi"].with_user(user).action_drilldown(code, filters)
        return self.env[action["res_model"]].with_user(user).search(action["domain"])

    @staticmethod
    def _utc(value):
        return fields.Datetime.to_datetime(value)
