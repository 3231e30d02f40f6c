# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DistApprovalSimulation(models.TransientModel):
    """Which rules would trigger, why, and who would approve: creates nothing."""

    _name = "dist.approval.simulation"
    _description = "Approval Matrix Simulation"

    company_id = fields.Many2one("res.company", required=True, default=lambda s: s.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    document_type = fields.Selection(
        selection="_selection_document_type", required=True, default="sale"
    )
    mode = fields.Selection(
        [("facts", "Enter facts"), ("document", "Pick a document")],
        required=True,
        default="facts",
    )
    sale_order_id = fields.Many2one("sale.order", domain=[("state", "in", ("draft", "sent"))])
    purchase_order_id = fields.Many2one(
        "purchase.order", domain=[("state", "in", ("draft", "sent", "to approve"))]
    )
    refund_id = fields.Many2one(
        "account.move",
        "Credit Note",
        domain=[("move_type", "=", "out_refund"), ("state", "=", "draft")],
    )
    quant_id = fields.Many2one(
        "stock.quant", "Counted Quant", domain=[("inventory_quantity_set", "=", True)]
    )

    amount = fields.Monetary("Untaxed Amount", currency_field="currency_id")
    discount = fields.Float("Highest Line Discount (%)")
    margin = fields.Float(
        "Margin (%)",
        default=100.0,
        help="The document's margin; the default, 100 %, is under no margin rule.",
    )
    requester_id = fields.Many2one(
        "res.users",
        "Requested By",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="Who would confirm the document: they cannot approve it themselves.",
    )
    credit_exceeded = fields.Boolean("Credit Limit Exceeded")
    overdue_days = fields.Integer("Oldest Overdue Invoice (days)")
    adjustment_value = fields.Monetary(currency_field="currency_id")
    warehouse_id = fields.Many2one("stock.warehouse")
    team_id = fields.Many2one("crm.team", "Sales Team")
    partner_category_ids = fields.Many2many("res.partner.category", string="Partner Tags")
    product_category_ids = fields.Many2many("product.category", string="Product Categories")

    result_html = fields.Html("Result", compute="_compute_result_html", sanitize=False)
    dist_discounts_hidden = fields.Boolean(compute="_compute_dist_discounts_hidden")

    def _compute_dist_discounts_hidden(self):
        self.dist_discounts_hidden = self.env["dist.approval.rule"]._dist_discounts_hidden()

    @api.model
    def _selection_document_type(self):
        return self.env["dist.approval.rule"]._fields["document_type"].selection

    @api.model
    def _dist_document_fields(self):
        """{document type: field picking a document of that type}."""
        return {
            "sale": "sale_order_id",
            "purchase": "purchase_order_id",
            "refund": "refund_id",
            "inventory": "quant_id",
        }

    def _document(self):
        return self[self._dist_document_fields()[self.document_type]]

    def _facts(self):
        Facts = self.env["dist.approval.facts"]
        return {
            "amount": self.amount,
            "discount": self.discount,
            "margin": self.margin,
            "credit": {
                "exceeded": self.credit_exceeded,
                "limit": 0.0,
                "receivable": 0.0,
                "to_invoice": 0.0,
                "document": self.amount,
                "total": self.amount,
            },
            "overdue": {"days": self.overdue_days, "amount": 0.0},
            "adjustment": {"value": self.adjustment_value, "quantity": 0.0},
            "warehouse": self.warehouse_id.id,
            "team": self.team_id.id,
            "partner_categories": Facts._dist_ancestor_ids(self.partner_category_ids),
            "product_categories": Facts._dist_ancestor_ids(self.product_category_ids),
        }

    @api.depends(
        "company_id", "document_type", "mode", "sale_order_id", "purchase_order_id",
        "refund_id", "quant_id", "amount", "discount", "margin", "credit_exceeded", "requester_id",
        "overdue_days", "adjustment_value", "warehouse_id", "team_id",
        "partner_category_ids", "product_category_ids",
    )  # fmt: skip
    def _compute_result_html(self):
        for wizard in self:
            wizard.result_html = wizard._dist_simulate()

    def _dist_simulate(self):
        self.ensure_one()
        Rule = self.env["dist.approval.rule"]
        excluded = self.requester_id
        if self.mode == "document":
            document = self._document()
            if not document:
                return self.env["ir.qweb"]._render(
                    "dist_approval_matrix.simulation_result", {"pick": True}
                )
            document = document.sudo()
            company = document._dist_approval_company()
            triggered = document._dist_approval_evaluate()[document.id][0]
            excluded |= document._dist_approval_responsible_users()
        else:
            company = self.company_id
            facts = self._facts()
            triggered = Rule._dist_evaluate(
                self.document_type, {0: company}, lambda keys, needed: {0: facts}
            )[0][0]
        rows = []
        for rule, reason in sorted(triggered, key=lambda t: (t[0].level, t[0].sequence)):
            approvers = rule._dist_approver_users() - excluded
            rows.append((rule, reason, approvers))
        return self.env["ir.qweb"]._render(
            "dist_approval_matrix.simulation_result",
            {
                "pick": False,
                "rows": rows,
                "total": len(Rule._dist_rules(company, self.document_type)),
                "excluded": excluded,
            },
        )
