# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import namedtuple

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import formatLang

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
# What each document type can tell the matrix.
APPLICABLE_FACTS = {
    "sale": {"amount", "discount", "margin", "credit", "overdue"}
    | {"warehouse", "team", "partner_categories", "product_categories"},
    "purchase": {"amount", "discount", "warehouse", "partner_categories", "product_categories"},
    "inventory": {"adjustment", "warehouse", "product_categories"},
    "refund": {"amount", "discount", "overdue", "team", "partner_categories"}
    | {"product_categories"},
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
    sequence = fields.Integer(default=10, aggregator=None)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    document_type = fields.Selection(DOCUMENT_TYPES, required=True, index=True)
    level = fields.Integer(
        default=1,
        required=True,
        aggregator=None,
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
        aggregator=None,
        currency_field="currency_id",
        help="Untaxed amount in company currency, at or above which the rule "
        "applies. Zero: no lower bound.",
    )
    amount_max = fields.Monetary(
        "Amount Up To",
        aggregator=None,
        currency_field="currency_id",
        help="Untaxed amount in company currency, at or below which the rule "
        "applies. Zero: no upper bound.",
    )
    check_discount = fields.Boolean()
    discount_above = fields.Float(
        "Discount Above (%)", aggregator=None, help="Triggers when any line discount is above this."
    )
    check_margin = fields.Boolean()
    margin_below = fields.Float(
        "Margin Below (%)", aggregator=None, help="Triggers when the order margin is below this."
    )
    credit_limit_exceeded = fields.Boolean(
        help="Triggers when receivable + amount to invoice + this document "
        "exceeds the customer's credit limit (company setting 'Sales Credit "
        "Limit' must be enabled)."
    )
    check_overdue = fields.Boolean("Check Overdue Invoices")
    overdue_days_above = fields.Integer(
        "Overdue More Than (days)",
        aggregator=None,
        help="Triggers when the customer has an open invoice overdue by more "
        "than this number of days.",
    )
    check_adjustment = fields.Boolean("Check Adjustment Value")
    adjustment_value_above = fields.Monetary(
        aggregator=None,
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
        aggregator=None,
        default=1,
        help="Number of distinct approvers (among the group members and the "
        "named users) needed to approve this level.",
    )
    allow_multi_level = fields.Boolean(
        "Same Approver on Several Levels",
        help="Allow a person who approved another level of the same document "
        "to approve this one as well.",
    )
    sla_hours = fields.Float("SLA (hours)", aggregator=None, help="Zero: no deadline.")
    escalation_user_id = fields.Many2one(
        "res.users", domain=[("share", "=", False)], string="Escalate To"
    )
    note = fields.Text("Instructions", translate=True)
    scope_summary = fields.Char("Scope", compute="_compute_summaries")
    condition_summary = fields.Char("Conditions", compute="_compute_summaries")
    request_count = fields.Integer(compute="_compute_request_count")

    _level_positive = models.Constraint("CHECK(level >= 1)", "The level must be 1 or more.")
    _approvals_required_positive = models.Constraint(
        "CHECK(approvals_required >= 1)", "At least one approval is required."
    )

    @api.depends(
        "warehouse_ids", "team_ids", "partner_category_ids", "product_category_ids",
        "amount_min", "amount_max", "check_discount", "discount_above", "check_margin",
        "margin_below", "credit_limit_exceeded", "check_overdue", "overdue_days_above",
        "check_adjustment", "adjustment_value_above",
    )  # fmt: skip
    def _compute_summaries(self):
        for rule in self:
            rule.scope_summary = rule._dist_scope_text().strip() or self.env._("Any")
            money = rule._dist_format_money
            parts = []
            if rule.amount_min:
                parts.append(f"≥ {money(rule.amount_min)}")
            if rule.amount_max:
                parts.append(f"≤ {money(rule.amount_max)}")
            if rule.check_discount:
                parts.append(self.env._("discount > %s%%", _pct(rule.discount_above)))
            if rule.check_margin:
                parts.append(self.env._("margin < %s%%", _pct(rule.margin_below)))
            if rule.credit_limit_exceeded:
                parts.append(self.env._("over credit limit"))
            if rule.check_overdue:
                parts.append(self.env._("overdue > %s days", rule.overdue_days_above))
            if rule.check_adjustment:
                parts.append(self.env._("adjustment > %s", money(rule.adjustment_value_above)))
            rule.condition_summary = "; ".join(parts) or self.env._("Always")

    def _compute_request_count(self):
        counts = dict(
            self.env["dist.approval.request"]._read_group(
                [("rule_id", "in", self.ids)], ["rule_id"], ["__count"]
            )
        )
        for rule in self:
            rule.request_count = counts.get(rule, 0)

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dist_approval_matrix.dist_approval_request_action_all"
        )
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {}
        return action

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

    @api.constrains("document_type", *THRESHOLD_FACTS, *SCOPE_FACTS)
    def _check_applicable(self):
        labels = {
            "amount": _("amount"),
            "discount": _("discount"),
            "margin": _("margin"),
            "credit": _("credit limit"),
            "overdue": _("overdue invoices"),
            "adjustment": _("adjustment value"),
            "warehouse": _("warehouses"),
            "team": _("sales teams"),
            "partner_categories": _("partner tags"),
            "product_categories": _("product categories"),
        }
        for rule in self:
            applicable = self._dist_applicable_facts(rule.document_type)
            used = {fact for field, fact in THRESHOLD_FACTS.items() if rule[field]}
            used |= {fact for field, fact in SCOPE_FACTS.items() if rule[field]}
            wrong = sorted(used - applicable)
            if wrong:
                doc_type = dict(self._fields["document_type"]._description_selection(self.env))
                raise ValidationError(
                    _(
                        "Rule “%(rule)s”: %(what)s do not apply to %(type)s; clear them "
                        "or choose another document type.",
                        rule=rule.name,
                        what=", ".join(labels[w] for w in wrong),
                        type=doc_type[rule.document_type],
                    )
                )

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
    # Loading: once, cached until the matrix changes
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("company_id", "document_type")
    def _dist_rule_specs(self, company_id, document_type):
        """What matching needs of the active rules, as plain immutable data.

        Cached per company and document type and cleared when a rule
        changes: evaluating the matrix reads no rule from the database.
        """
        rules = (
            self.sudo()
            .with_context(active_test=True)
            .search([("company_id", "=", company_id), ("document_type", "=", document_type)])
        )
        return tuple(rule._dist_spec() for rule in rules)

    def _dist_spec(self):
        self.ensure_one()
        scope = tuple(
            (fact, frozenset(self[field].ids)) for field, fact in SCOPE_FACTS.items() if self[field]
        )
        thresholds = {
            "amount_min": self.amount_min or None,
            "amount_max": self.amount_max or None,
            "discount_above": self.discount_above if self.check_discount else None,
            "margin_below": self.margin_below if self.check_margin else None,
            "credit": True if self.credit_limit_exceeded else None,
            "overdue_days_above": self.overdue_days_above if self.check_overdue else None,
            "adjustment_value_above": (
                self.adjustment_value_above if self.check_adjustment else None
            ),
        }
        return RuleSpec(
            id=self.id,
            level=self.level,
            sequence=self.sequence,
            scope=scope,
            thresholds=tuple((k, v) for k, v in thresholds.items() if v is not None),
            needed=frozenset(self._dist_needed_facts()),
        )

    @api.model
    def _dist_rule_ids(self, company_id, document_type):
        return tuple(spec.id for spec in self._dist_rule_specs(company_id, document_type))

    @api.model
    def _dist_rules(self, company, document_type):
        """Active rules of a company and document type, sudo, in level order."""
        return self.sudo().browse(self._dist_rule_ids(company.id, document_type))

    @api.model
    def _dist_evaluate(self, document_type, company_by_key, facts_of):
        """The approval matrix: which rules trigger on which documents, and why.

        Every gate, the simulation included, evaluates through here.
        ``company_by_key`` maps a document key to its company; ``facts_of(keys,
        needed)`` returns ``{key: {fact: value}}`` for the named facts only.
        Scope facts are asked first, for every document; threshold facts
        only for documents some rule's scope reaches, and only those the
        rules read. Returns ``{key: ([(rule, reason)], facts)}``.
        """
        specs = {
            key: self._dist_rule_specs(company.id, document_type)
            for key, company in company_by_key.items()
        }
        keys = list(company_by_key)
        scope_needed = {fact for rules in specs.values() for s in rules for fact, _ids in s.scope}
        facts = {key: {} for key in keys}
        if scope_needed and keys:
            for key, values in facts_of(keys, scope_needed).items():
                facts[key].update(values)
        in_scope = {key: [s for s in specs[key] if _in_scope(s, facts[key])] for key in keys}
        needed = {fact for key in keys for s in in_scope[key] for fact in s.needed}
        reached = [key for key in keys if in_scope[key]]
        if reached and needed:
            for key, values in facts_of(reached, needed).items():
                facts[key].update(values)
        result = {}
        for key in keys:
            rules = self.sudo().browse([s.id for s in in_scope[key] if _holds(s, facts[key])])
            result[key] = ([(rule, rule._dist_reason(facts[key])) for rule in rules], facts[key])
        return result

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.filtered("request_count")
        if used:
            raise UserError(
                _(
                    "Rules %(rules)s have approval requests, kept for audit: archive them "
                    "instead of deleting them.",
                    rules=", ".join(used.mapped("name")),
                )
            )

    def unlink(self):
        keys = {(r.company_id, r.document_type) for r in self}
        res = super().unlink()
        self.env.registry.clear_cache()
        self._dist_check_levels(keys)
        return res

    @api.model
    def _dist_applicable_facts(self, document_type):
        return APPLICABLE_FACTS.get(document_type, set())

    def _dist_needed_facts(self):
        """Names of the threshold facts these rules read."""
        return {fact for rule in self for field, fact in THRESHOLD_FACTS.items() if rule[field]}

    def _dist_reason(self, facts):
        """Why this rule triggers on a document with these facts, in words.

        Names each threshold and the scope, e.g. "Line discount 18% exceeds
        15% for Contract partners".
        """
        self.ensure_one()
        parts = []
        money = self._dist_format_money
        amount = facts.get("amount", 0.0)
        if self.amount_min and self.amount_max:
            parts.append(
                self.env._(
                    "Untaxed amount %(amount)s is between %(min)s and %(max)s",
                    amount=money(amount), min=money(self.amount_min),
                    max=money(self.amount_max),
                )
            )  # fmt: skip
        elif self.amount_min:
            parts.append(
                self.env._(
                    "Untaxed amount %(amount)s reaches %(min)s",
                    amount=money(amount), min=money(self.amount_min),
                )
            )  # fmt: skip
        elif self.amount_max:
            parts.append(
                self.env._(
                    "Untaxed amount %(amount)s is up to %(max)s",
                    amount=money(amount), max=money(self.amount_max),
                )
            )  # fmt: skip
        if self.check_discount:
            parts.append(
                self.env._(
                    "Line discount %(discount)s%% exceeds %(limit)s%%",
                    discount=_pct(facts.get("discount", 0.0)), limit=_pct(self.discount_above),
                )
            )  # fmt: skip
        if self.check_margin:
            parts.append(
                self.env._(
                    "Margin %(margin)s%% is below %(limit)s%%",
                    margin=_pct(facts.get("margin", 0.0)), limit=_pct(self.margin_below),
                )
            )  # fmt: skip
        if self.credit_limit_exceeded:
            credit = facts["credit"]
            parts.append(
                self.env._(
                    "Credit limit %(limit)s exceeded: receivable %(receivable)s + to "
                    "invoice %(to_invoice)s + this document %(document)s = %(total)s",
                    limit=money(credit["limit"]), receivable=money(credit["receivable"]),
                    to_invoice=money(credit["to_invoice"]),
                    document=money(credit["document"]), total=money(credit["total"]),
                )
            )  # fmt: skip
        if self.check_overdue:
            overdue = facts["overdue"]
            parts.append(
                self.env._(
                    "Invoices overdue by %(days)s days (%(amount)s), more than %(limit)s",
                    days=overdue["days"], amount=money(overdue["amount"]),
                    limit=self.overdue_days_above,
                )
            )  # fmt: skip
        if self.check_adjustment:
            parts.append(
                self.env._(
                    "Adjustment value %(value)s exceeds %(limit)s",
                    value=money(facts["adjustment"]["value"]),
                    limit=money(self.adjustment_value_above),
                )
            )  # fmt: skip
        if not parts:
            parts.append(self.env._("Every document in this scope needs approval"))
        return " and ".join(parts) + self._dist_scope_text()

    def _dist_scope_text(self):
        scope = []
        if self.partner_category_ids:
            scope.append(
                self.env._(
                    "for %(tags)s partners",
                    tags=", ".join(self.partner_category_ids.mapped("name")),
                )
            )
        if self.product_category_ids:
            scope.append(
                self.env._(
                    "on %(categories)s products",
                    categories=", ".join(self.product_category_ids.mapped("display_name")),
                )
            )
        if self.warehouse_ids:
            scope.append(
                self.env._(
                    "in %(warehouses)s", warehouses=", ".join(self.warehouse_ids.mapped("name"))
                )
            )
        if self.team_ids:
            scope.append(
                self.env._("for team %(teams)s", teams=", ".join(self.team_ids.mapped("name")))
            )
        return (" " + " ".join(scope)) if scope else ""

    def _dist_format_money(self, amount):
        return formatLang(self.env, amount, currency_obj=self.company_id.currency_id)

    def _dist_approver_users(self):
        """Users who may approve for this rule (before segregation of duties)."""
        self.ensure_one()
        users = self.approver_user_ids | self.approver_group_id.all_user_ids
        return users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        )


def _pct(value):
    return f"{value:.4g}"


RuleSpec = namedtuple("RuleSpec", "id level sequence scope thresholds needed")


def _in_scope(spec, facts):
    """A document is in scope when each set scope shares an id with its facts."""
    for fact, ids in spec.scope:
        value = facts.get(fact)
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        if not ids.intersection(values):
            return False
    return True


def _holds(spec, facts):
    """Every threshold the rule sets holds on these facts."""
    for name, limit in spec.thresholds:
        if name == "amount_min" and not facts["amount"] >= limit:
            return False
        if name == "amount_max" and not facts["amount"] <= limit:
            return False
        if name == "discount_above" and not facts["discount"] > limit:
            return False
        if name == "margin_below" and not facts["margin"] < limit:
            return False
        if name == "credit" and not facts["credit"]["exceeded"]:
            return False
        if name == "overdue_days_above" and not facts["overdue"]["days"] > limit:
            return False
        if name == "adjustment_value_above" and not facts["adjustment"]["value"] > limit:
            return False
    return True
