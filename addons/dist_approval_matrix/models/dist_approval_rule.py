# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models, tools
from odoo.exceptions import ValidationError

DOCUMENT_TYPES = [
    ("sale", "Sales Order"),
    ("purchase", "Purchase Order"),
    ("inventory", "Inventory Adjustment"),
    ("refund", "Customer Credit Note"),
]

# Facts a threshold reads; the engine computes only the facts some rule needs.
THRESHOLD_FACTS = {
    "amount_min": "amount",
    "amount_max": "amount",
    "check_discount": "discount",
    "check_margin": "margin",
    "credit_limit_exceeded": "credit",
    "check_overdue": "overdue",
    "check_adjustment": "adjustment",
}
SCOPE_FACTS = {
    "warehouse_ids": "warehouse",
    "team_ids": "team",
    "partner_category_ids": "partner_categories",
    "product_category_ids": "product_categories",
}


class DistApprovalRule(models.Model):
    """One row of the approval matrix.

    A rule triggers on a document when the document is in the rule's scope
    (every scope left empty means "any") and every threshold that is set
    holds. Triggered rules become approval requests, approved level by level.
    """

    _name = "dist.approval.rule"
    _description = "Approval Matrix Rule"
    _order = "company_id, document_type, level, sequence, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    document_type = fields.Selection(DOCUMENT_TYPES, required=True, index=True)
    level = fields.Integer(
        default=1,
        required=True,
        help="Levels are approved in ascending order: level 2 is asked only "
        "once every triggered level 1 rule is approved.",
    )

    # Scope: empty means any.
    warehouse_ids = fields.Many2many("stock.warehouse", string="Warehouses")
    team_ids = fields.Many2many("crm.team", string="Sales Teams")
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Partner Tags",
        help="Customer (or supplier) tags; a tag also covers its sub-tags.",
    )
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The rule applies when a line's product is in one of these "
        "categories or their sub-categories.",
    )

    # Thresholds: all that are set must hold.
    amount_min = fields.Monetary(
        "Amount From",
        currency_field="currency_id",
        help="Untaxed amount in company currency, at or above which the rule "
        "applies. Zero: no lower bound.",
    )
    amount_max = fields.Monetary(
        "Amount Up To",
        currency_field="currency_id",
        help="Untaxed amount in company currency, at or below which the rule "
        "applies. Zero: no upper bound.",
    )
    check_discount = fields.Boolean()
    discount_above = fields.Float(
        "Discount Above (%)", help="Triggers when any line discount is above this."
    )
    check_margin = fields.Boolean()
    margin_below = fields.Float(
        "Margin Below (%)", help="Triggers when the order margin is below this."
    )
    credit_limit_exceeded = fields.Boolean(
        help="Triggers when receivable + amount to invoice + this document "
        "exceeds the customer's credit limit (company setting 'Sales Credit "
        "Limit' must be enabled)."
    )
    check_overdue = fields.Boolean("Check Overdue Invoices")
    overdue_days_above = fields.Integer(
        "Overdue More Than (days)",
        help="Triggers when the customer has an open invoice overdue by more "
        "than this number of days.",
    )
    check_adjustment = fields.Boolean("Check Adjustment Value")
    adjustment_value_above = fields.Monetary(
        currency_field="currency_id",
        help="Inventory adjustments: absolute value (quantity difference x "
        "cost) above which the rule triggers.",
    )

    # Approvers
    approver_group_id = fields.Many2one("res.groups")
    approver_user_ids = fields.Many2many(
        "res.users",
        "dist_approval_rule_user_rel",
        "rule_id",
        "user_id",
        string="Approvers",
        domain=[("share", "=", False)],
    )
    approvals_required = fields.Integer(
        default=1,
        help="Number of distinct approvers (among the group members and the "
        "named users) needed to approve this level.",
    )
    allow_multi_level = fields.Boolean(
        "Same Approver on Several Levels",
        help="Allow a person who approved another level of the same document "
        "to approve this one as well.",
    )
    sla_hours = fields.Float("SLA (hours)", help="Zero: no deadline.")
    escalation_user_id = fields.Many2one(
        "res.users", domain=[("share", "=", False)], string="Escalate To"
    )
    note = fields.Text("Instructions", translate=True)
    request_count = fields.Integer(compute="_compute_request_count")

    _level_positive = models.Constraint("CHECK(level >= 1)", "The level must be 1 or more.")
    _approvals_required_positive = models.Constraint(
        "CHECK(approvals_required >= 1)", "At least one approval is required."
    )

    def _compute_request_count(self):
        counts = dict(
            self.env["dist.approval.request"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.request_count = counts.get(rule, 0)

    @api.constrains(
        "amount_min",
        "amount_max",
        "discount_above",
        "margin_below",
        "overdue_days_above",
        "adjustment_value_above",
        "sla_hours",
        "check_discount",
        "check_margin",
        "check_overdue",
        "check_adjustment",
    )
    def _check_thresholds(self):
        for rule in self:
            if rule.amount_min < 0 or rule.amount_max < 0:
                raise ValidationError(_("Rule “%s”: amounts cannot be negative.", rule.name))
            if rule.amount_max and rule.amount_min > rule.amount_max:
                raise ValidationError(
                    _(
                        "Rule “%(rule)s”: 'Amount From' (%(min)s) is above "
                        "'Amount Up To' (%(max)s); lower it or raise the maximum.",
                        rule=rule.name,
                        min=rule.amount_min,
                        max=rule.amount_max,
                    )
                )
            for flag, field, label in (
                ("check_discount", "discount_above", _("Discount Above (%)")),
                ("check_margin", "margin_below", _("Margin Below (%)")),
            ):
                value = rule[field]
                if rule[flag] and not 0 <= value <= 100:
                    raise ValidationError(
                        _(
                            "Rule “%(rule)s”: '%(field)s' must be between 0 and "
                            "100, not %(value)s.",
                            rule=rule.name,
                            field=label,
                            value=value,
                        )
                    )
            if rule.check_overdue and rule.overdue_days_above < 0:
                raise ValidationError(_("Rule “%s”: overdue days cannot be negative.", rule.name))
            if rule.check_adjustment and rule.adjustment_value_above < 0:
                raise ValidationError(
                    _("Rule “%s”: the adjustment value cannot be negative.", rule.name)
                )
            if rule.sla_hours < 0:
                raise ValidationError(_("Rule “%s”: the SLA cannot be negative.", rule.name))

    @api.constrains("approver_group_id", "approver_user_ids", "approvals_required")
    def _check_approvers(self):
        for rule in self:
            if not rule.approver_group_id and not rule.approver_user_ids:
                raise ValidationError(
                    _(
                        "Rule “%s” has no approvers: set an approver group or "
                        "name at least one approver.",
                        rule.name,
                    )
                )
            if not rule.approver_group_id and rule.approvals_required > len(rule.approver_user_ids):
                raise ValidationError(
                    _(
                        "Rule “%(rule)s” requires %(count)s approvals but names "
                        "only %(users)s approver(s): add approvers or lower "
                        "'Approvals Required'.",
                        rule=rule.name,
                        count=rule.approvals_required,
                        users=len(rule.approver_user_ids),
                    )
                )

    @api.constrains("level", "document_type", "company_id", "active")
    def _check_level_sequence(self):
        self._dist_check_levels({(r.company_id, r.document_type) for r in self})

    @api.model
    def _dist_check_levels(self, keys):
        for company, document_type in keys:
            levels = set(
                self.search(
                    [("company_id", "=", company.id), ("document_type", "=", document_type)]
                ).mapped("level")
            )
            if levels and levels != set(range(1, max(levels) + 1)):
                missing = sorted(set(range(1, max(levels) + 1)) - levels)
                raise ValidationError(
                    _(
                        "The %(type)s matrix of %(company)s has no level "
                        "%(missing)s: levels must follow each other from 1 "
                        "(add a rule at that level or renumber the others).",
                        type=dict(self._fields["document_type"]._description_selection(self.env))[
                            document_type
                        ],
                        company=company.name,
                        missing=", ".join(map(str, missing)),
                    )
                )

    # ------------------------------------------------------------------
    # Loading: once per call, cached until the matrix changes
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("company_id", "document_type")
    def _dist_rule_ids(self, company_id, document_type):
        return tuple(
            self.sudo()
            .with_context(active_test=True)
            .search([("company_id", "=", company_id), ("document_type", "=", document_type)])
            .ids
        )

    @api.model
    def _dist_rules(self, company, document_type):
        """Active rules of a company and document type, sudo, in level order."""
        return self.sudo().browse(self._dist_rule_ids(company.id, document_type))

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        keys = {(r.company_id, r.document_type) for r in self}
        res = super().unlink()
        self.env.registry.clear_cache()
        self._dist_check_levels(keys)
        return res

    def _dist_needed_facts(self):
        """Names of the facts these rules read."""
        needed = set()
        for rule in self:
            for field, fact in THRESHOLD_FACTS.items():
                if rule[field]:
                    needed.add(fact)
            for field, fact in SCOPE_FACTS.items():
                if rule[field]:
                    needed.add(fact)
        return needed
