# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from .. import engine

DOCUMENT_TYPES = [
    ("sale", "Sales Order"),
    ("purchase", "Purchase Order"),
    ("inventory", "Inventory Adjustment"),
    ("refund", "Customer Credit Note"),
]


def _pct(value):
    return f"{value:.4g}"


class DistApprovalRule(models.Model):
    """One row of the approval matrix.

    A rule triggers on a document when the document is in the rule's scope
    (every scope left empty means "any") and every threshold that is set
    holds; a rule without threshold triggers on every document of its scope,
    and only when the administrator says so (``apply_always``). Triggered
    rules become approval requests, approved level by level. The matching
    itself is ``engine.evaluate``.
    """

    _name = "dist.approval.rule"
    _description = "Approval Matrix Rule"
    _order = "company_id, document_type, level, sequence, id"
    _check_company_auto = True

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
    warehouse_ids = fields.Many2many("stock.warehouse", string="Warehouses", check_company=True)
    team_ids = fields.Many2many("crm.team", string="Sales Teams", check_company=True)
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

    # Thresholds: all that are set must hold. Setting a value switches its
    # threshold on (see create and write).
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
    apply_always = fields.Boolean(
        "Every Document in Scope",
        help="The rule has no threshold on purpose: every document of its scope "
        "needs this approval. A rule without threshold is refused unless this is set.",
    )
    evidence_required = fields.Boolean(
        "Attachment Required",
        help="Approval can only be requested when the document carries an "
        "attachment (e.g. a signed contract, the supplier's quote).",
    )
    evidence_label = fields.Char(
        "Attachment Expected",
        translate=True,
        help="What the attachment should be, as the requester reads it: 'the signed contract'.",
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
        check_company=True,
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
        "res.users", domain=[("share", "=", False)], string="Escalate To", check_company=True
    )
    note = fields.Text("Instructions", translate=True)
    scope_summary = fields.Char("Scope", compute="_compute_summaries")
    condition_summary = fields.Char("Conditions", compute="_compute_summaries")
    request_count = fields.Integer(compute="_compute_request_count")
    dist_discounts_hidden = fields.Boolean(
        compute="_compute_dist_discounts_hidden",
        help="Discount rules exist while line discounts are hidden from salespeople.",
    )

    _level_positive = models.Constraint("CHECK(level >= 1)", "The level must be 1 or more.")
    _approvals_required_positive = models.Constraint(
        "CHECK(approvals_required >= 1)", "At least one approval is required."
    )

    # ------------------------------------------------------------------
    # What the matrix knows: thresholds and scopes (addons extend these)
    # ------------------------------------------------------------------
    @api.model
    def _dist_threshold_fields(self):
        """{engine threshold: (value field, switch field)}.

        Without a switch the value field is its own switch (zero: off).
        """
        return {
            "amount_min": ("amount_min", None),
            "amount_max": ("amount_max", None),
            "discount_above": ("discount_above", "check_discount"),
            "margin_below": ("margin_below", "check_margin"),
            "credit": ("credit_limit_exceeded", None),
            "overdue_days_above": ("overdue_days_above", "check_overdue"),
            "adjustment_value_above": ("adjustment_value_above", "check_adjustment"),
        }

    @api.model
    def _dist_scope_fields(self):
        """{scope field: fact it matches}."""
        return {
            "warehouse_ids": "warehouse",
            "team_ids": "team",
            "partner_category_ids": "partner_categories",
            "product_category_ids": "product_categories",
        }

    @api.model
    def _dist_applicable_facts(self, document_type):
        """What each document type can tell the matrix."""
        return {
            "sale": {"amount", "discount", "margin", "credit", "overdue"}
            | {"warehouse", "team", "partner_categories", "product_categories"},
            "purchase": {"amount", "discount", "warehouse", "partner_categories"}
            | {"product_categories"},
            "inventory": {"adjustment", "warehouse", "product_categories"},
            "refund": {"amount", "discount", "overdue", "team", "partner_categories"}
            | {"product_categories"},
        }.get(document_type, set())

    def _dist_thresholds(self):
        """{engine threshold: limit} of the thresholds this rule sets."""
        self.ensure_one()
        thresholds = {}
        for name, (field, switch) in self._dist_threshold_fields().items():
            if switch:
                if self[switch]:
                    thresholds[name] = self[field]
            elif self[field]:
                thresholds[name] = self[field]
        return thresholds

    def _dist_threshold_field_names(self):
        """The threshold fields people set on a rule, value and switch alike."""
        return {field for pair in self._dist_threshold_fields().values() for field in pair if field}

    @api.model
    def _dist_switch_on_set_thresholds(self, vals):
        """A threshold value written without its switch switches it on.

        So that an import or an RPC client setting ``discount_above`` alone
        gets the condition it asked for, never a rule without it.
        """
        vals = dict(vals)
        for field, switch in self._dist_threshold_fields().values():
            value = vals.get(field)
            if switch and switch not in vals and value is not None and value is not False:
                vals[switch] = True
        return vals

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "warehouse_ids", "team_ids", "partner_category_ids", "product_category_ids",
        "amount_min", "amount_max", "check_discount", "discount_above", "check_margin",
        "margin_below", "credit_limit_exceeded", "check_overdue", "overdue_days_above",
        "check_adjustment", "adjustment_value_above", "apply_always",
    )  # fmt: skip
    def _compute_summaries(self):
        for rule in self:
            rule.scope_summary = rule._dist_scope_text().strip() or self.env._("Any")
            thresholds = rule._dist_thresholds()
            parts = [
                rule._dist_threshold_summary(name, limit) for name, limit in thresholds.items()
            ]
            if parts:
                rule.condition_summary = "; ".join(parts)
            elif rule.apply_always:
                rule.condition_summary = self.env._("Every document in scope")
            else:
                rule.condition_summary = self.env._("No condition: set a threshold")

    def _dist_threshold_summary(self, name, limit):
        """One threshold of this rule, in a few words."""
        money = self._dist_money
        return {
            "amount_min": lambda: f"≥ {money(limit)}",
            "amount_max": lambda: f"≤ {money(limit)}",
            "discount_above": lambda: self.env._("discount > %s%%", _pct(limit)),
            "margin_below": lambda: self.env._("margin < %s%%", _pct(limit)),
            "credit": lambda: self.env._("over credit limit"),
            "overdue_days_above": lambda: self.env._("overdue > %s days", limit),
            "adjustment_value_above": lambda: self.env._("adjustment > %s", money(limit)),
        }[name]()

    @api.depends("check_discount")
    def _compute_dist_discounts_hidden(self):
        hidden = self._dist_discounts_hidden()
        for rule in self:
            rule.dist_discounts_hidden = hidden

    @api.model
    def _dist_discounts_hidden(self):
        """Whether discount rules exist while Settings > Sales > Discounts is off."""
        discounts = self.env.ref("sale.group_discount_per_so_line", raise_if_not_found=False)
        if not discounts or discounts in self.env.ref("base.group_user").all_implied_ids:
            return False
        return bool(
            self.sudo().search_count(
                [("check_discount", "=", True), ("document_type", "=", "sale")], limit=1
            )
        )

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

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
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
                raise ValidationError(
                    self.env._("Rule “%s”: amounts cannot be negative.", rule.name)
                )
            if rule.amount_max and rule.amount_min > rule.amount_max:
                raise ValidationError(
                    self.env._(
                        "Rule “%(rule)s”: 'Amount From' (%(min)s) is above "
                        "'Amount Up To' (%(max)s); lower it or raise the maximum.",
                        rule=rule.name,
                        min=rule.amount_min,
                        max=rule.amount_max,
                    )
                )
            for flag, field in (
                ("check_discount", "discount_above"),
                ("check_margin", "margin_below"),
            ):
                value = rule[field]
                if rule[flag] and not 0 <= value <= 100:
                    raise ValidationError(
                        self.env._(
                            "Rule “%(rule)s”: '%(field)s' must be between 0 and "
                            "100, not %(value)s.",
                            rule=rule.name,
                            field=self._fields[field]._description_string(self.env),
                            value=value,
                        )
                    )
            if rule.check_overdue and rule.overdue_days_above < 0:
                raise ValidationError(
                    self.env._("Rule “%s”: overdue days cannot be negative.", rule.name)
                )
            if rule.check_adjustment and rule.adjustment_value_above < 0:
                raise ValidationError(
                    self.env._("Rule “%s”: the adjustment value cannot be negative.", rule.name)
                )
            if rule.sla_hours < 0:
                raise ValidationError(
                    self.env._("Rule “%s”: the SLA cannot be negative.", rule.name)
                )

    @api.constrains(
        lambda self: ["document_type", "apply_always", *self._dist_threshold_field_names()]
    )
    def _check_has_condition(self):
        for rule in self:
            if not rule.apply_always and not rule._dist_thresholds():
                raise ValidationError(
                    self.env._(
                        "Rule “%s” has no threshold, so it would hold every document: set "
                        "a threshold (amount, discount, margin, ...), or tick 'Every "
                        "Document in Scope' if every document of its scope needs this approval.",
                        rule.name,
                    )
                )

    @api.constrains(
        lambda self: [
            "document_type",
            *self._dist_threshold_field_names(),
            *self._dist_scope_fields(),
        ]
    )
    def _check_applicable(self):
        for rule in self:
            applicable = self._dist_applicable_facts(rule.document_type)
            wrong = [
                self._fields[self._dist_threshold_fields()[name][0]]
                for name in rule._dist_thresholds()
                if engine.THRESHOLDS[name].fact not in applicable
            ] + [
                self._fields[field]
                for field, fact in self._dist_scope_fields().items()
                if rule[field] and fact not in applicable
            ]
            if wrong:
                doc_type = dict(self._fields["document_type"]._description_selection(self.env))
                raise ValidationError(
                    self.env._(
                        "Rule “%(rule)s”: %(what)s do not apply to %(type)s; clear them "
                        "or choose another document type.",
                        rule=rule.name,
                        what=", ".join(f._description_string(self.env) for f in wrong),
                        type=doc_type[rule.document_type],
                    )
                )

    @api.constrains("approver_group_id", "approver_user_ids", "approvals_required")
    def _check_approvers(self):
        for rule in self:
            if not rule.approver_group_id and not rule.approver_user_ids:
                raise ValidationError(
                    self.env._(
                        "Rule “%s” has no approvers: set an approver group or "
                        "name at least one approver.",
                        rule.name,
                    )
                )
            if not rule.approver_group_id and rule.approvals_required > len(rule.approver_user_ids):
                raise ValidationError(
                    self.env._(
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
                    self.env._(
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
        thresholds = self._dist_thresholds()
        return engine.RuleSpec(
            id=self.id,
            level=self.level,
            sequence=self.sequence,
            scope=tuple(
                (fact, frozenset(self[field].ids))
                for field, fact in self._dist_scope_fields().items()
                if self[field]
            ),
            thresholds=tuple(thresholds.items()),
            needed=frozenset(engine.THRESHOLDS[name].fact for name in thresholds),
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
        Returns ``{key: ([(rule, reason)], facts)}``.
        """
        result = engine.evaluate(
            {
                key: self._dist_rule_specs(company.id, document_type)
                for key, company in company_by_key.items()
            },
            facts_of,
        )
        return {
            key: (
                [
                    (rule, rule._dist_reason(facts))
                    for rule in self.sudo().browse([spec.id for spec in specs])
                ],
                facts,
            )
            for key, (specs, facts) in result.items()
        }

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create([self._dist_switch_on_set_thresholds(v) for v in vals_list])
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        res = super().write(self._dist_switch_on_set_thresholds(vals))
        self.env.registry.clear_cache()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.filtered("request_count")
        if used:
            raise UserError(
                self.env._(
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

    # ------------------------------------------------------------------
    # Words: why a rule triggers, who approves it
    # ------------------------------------------------------------------
    def _dist_money(self, amount):
        return self.env["dist.approval.facts"]._dist_format_money(
            amount, self.company_id.currency_id
        )

    def _dist_reason(self, facts):
        """Why this rule triggers on a document with these facts, in words.

        Names each threshold and the scope, e.g. "Line discount 18% exceeds
        15% for Contract partners".
        """
        self.ensure_one()
        thresholds = self._dist_thresholds()
        parts = []
        if "amount_min" in thresholds and "amount_max" in thresholds:
            parts.append(
                self.env._(
                    "Untaxed amount %(amount)s is between %(min)s and %(max)s",
                    amount=self._dist_money(facts.get("amount")),
                    min=self._dist_money(self.amount_min),
                    max=self._dist_money(self.amount_max),
                )
            )
            thresholds.pop("amount_min")
            thresholds.pop("amount_max")
        parts += [
            self._dist_threshold_reason(name, limit, facts) for name, limit in thresholds.items()
        ]
        if not parts:
            parts.append(self.env._("Every document in this scope needs approval"))
        return " and ".join(parts) + self._dist_scope_text()

    def _dist_threshold_reason(self, name, limit, facts):
        """Why one threshold holds on these facts, in words."""
        money = self._dist_money
        credit = facts.get("credit") or {}
        overdue = facts.get("overdue") or {}
        adjustment = facts.get("adjustment") or {}
        return {
            "amount_min": lambda: self.env._(
                "Untaxed amount %(amount)s reaches %(min)s",
                amount=money(facts.get("amount")), min=money(limit),
            ),
            "amount_max": lambda: self.env._(
                "Untaxed amount %(amount)s is up to %(max)s",
                amount=money(facts.get("amount")), max=money(limit),
            ),
            "discount_above": lambda: self.env._(
                "Line discount %(discount)s%% exceeds %(limit)s%%",
                discount=_pct(facts.get("discount", 0.0)), limit=_pct(limit),
            ),
            "margin_below": lambda: self.env._(
                "Margin %(margin)s%% is below %(limit)s%%",
                margin=_pct(facts.get("margin", 0.0)), limit=_pct(limit),
            ),
            "credit": lambda: self.env._(
                "Credit limit %(limit)s exceeded: receivable %(receivable)s + to "
                "invoice %(to_invoice)s + this document %(document)s = %(total)s",
                limit=money(credit.get("limit")), receivable=money(credit.get("receivable")),
                to_invoice=money(credit.get("to_invoice")),
                document=money(credit.get("document")), total=money(credit.get("total")),
            ),
            "overdue_days_above": lambda: self.env._(
                "Invoices overdue by %(days)s days (%(amount)s), more than %(limit)s",
                days=overdue.get("days"), amount=money(overdue.get("amount")), limit=limit,
            ),
            "adjustment_value_above": lambda: self.env._(
                "Adjustment value %(value)s exceeds %(limit)s",
                value=money(adjustment.get("value")), limit=money(limit),
            ),
        }[name]()  # fmt: skip

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

    @api.model
    def _dist_eligible_approvers(self, users, group, company):
        """Who may approve for ``users`` and ``group`` in ``company``, before
        segregation of duties: active internal users of that company."""
        return (users | group.all_user_ids).filtered(
            lambda u: u.active and not u.share and company in u.company_ids
        )

    def _dist_approver_users(self):
        self.ensure_one()
        return self._dist_eligible_approvers(
            self.approver_user_ids, self.approver_group_id, self.company_id
        )
