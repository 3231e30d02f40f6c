# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

REQUEST_STATES = [
    ("waiting", "Waiting"),
    ("pending", "Pending"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]
# Share of the SLA after which a pending request is "due soon".
DUE_SOON_RATIO = 0.75


class DistApprovalRequest(models.Model):
    """One triggered rule on one document: who must decide, why, on what facts.

    Requests are never deleted; a request that no longer applies is
    cancelled with the reason.
    """

    _name = "dist.approval.request"
    _description = "Approval Request"
    _inherit = ["mail.thread", "dist.activity.mixin"]
    _order = "pending_since, requested_on, id"
    _rec_name = "display_name"

    res_model = fields.Char("Document Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        "Document ID", model_field="res_model", required=True, readonly=True, index=True
    )
    res_name = fields.Char("Document", readonly=True)
    document_ref = fields.Reference(
        selection="_selection_document_ref", compute="_compute_document_ref", string="Open Document"
    )
    # Rules with requests cannot be deleted (see the rule's unlink), only archived;
    # "set null" lets the module itself be uninstalled.
    rule_id = fields.Many2one("dist.approval.rule", readonly=True, index=True, ondelete="set null")
    document_type = fields.Selection(
        selection="_selection_document_type", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    level = fields.Integer(required=True, readonly=True)
    state = fields.Selection(
        REQUEST_STATES, default="waiting", required=True, readonly=True, index=True, tracking=True
    )
    is_current = fields.Boolean(
        default=True,
        readonly=True,
        index=True,
        help="Part of the document's latest evaluation; older requests stay for history.",
    )
    reason = fields.Text(readonly=True, help="Why the rule triggered.")
    facts = fields.Json(readonly=True, help="The values the matrix evaluated.")
    facts_html = fields.Html("Facts Evaluated", compute="_compute_facts_html", sanitize=False)
    live_html = fields.Html("Now", compute="_compute_live_html", sanitize=False)

    requested_by = fields.Many2one("res.users", required=True, readonly=True, index=True)
    requested_on = fields.Datetime(required=True, readonly=True)
    pending_since = fields.Datetime(readonly=True, help="When this level became decidable.")
    deadline = fields.Datetime(readonly=True, index=True)
    is_overdue = fields.Boolean("Overdue", readonly=True, index=True)
    escalated_on = fields.Datetime(readonly=True)
    sla_state = fields.Selection(
        [("none", "No SLA"), ("on_time", "On Time"), ("due_soon", "Due Soon"), ("late", "Late")],
        compute="_compute_sla_state",
        string="SLA",
    )
    age_hours = fields.Float("Age (hours)", compute="_compute_sla_state")
    age_display = fields.Char("Age", compute="_compute_sla_state")

    approver_group_id = fields.Many2one("res.groups", readonly=True)
    approver_user_ids = fields.Many2many(
        "res.users", "dist_approval_request_approver_rel", "request_id", "user_id", readonly=True
    )
    approvers_display = fields.Char("Approvers", compute="_compute_approvers_display")
    eligible_user_ids = fields.Many2many(
        "res.users",
        compute="_compute_eligible",
        string="Who May Approve",
        help="Approvers who may still decide: the rule's approvers, their delegates, "
        "less the requester, the document's owner and who approved other levels.",
    )
    no_approver_reason = fields.Char(compute="_compute_eligible", string="Nobody May Approve")
    approvals_required = fields.Integer(default=1, readonly=True)
    approval_count = fields.Integer(compute="_compute_approval_count")
    excluded_user_ids = fields.Many2many(
        "res.users",
        "dist_approval_request_excluded_rel",
        "request_id",
        "user_id",
        readonly=True,
        help="Segregation of duties: requester, salesperson or buyer, approvers of other levels.",
    )
    vote_ids = fields.One2many("dist.approval.vote", "request_id", readonly=True)
    change_id = fields.Many2one(
        "dist.approval.change",
        readonly=True,
        index="btree_not_null",
        help="The change of a confirmed document this request approves.",
    )
    change_summary = fields.Text(related="change_id.summary", string="Proposed Change")

    decided_by = fields.Many2one("res.users", readonly=True)
    on_behalf_of_id = fields.Many2one("res.users", readonly=True)
    decided_on = fields.Datetime(readonly=True)
    decision_note = fields.Text(readonly=True)
    is_override = fields.Boolean("Override", readonly=True, index=True)

    can_decide = fields.Boolean(compute="_compute_can_decide", search="_search_can_decide")
    can_override = fields.Boolean(compute="_compute_can_decide")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("res_model", "res_name", "level", "rule_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(document)s – level %(level)s (%(rule)s)",
                document=request.res_name or "",
                level=request.level,
                rule=request.rule_id.name or "",
            )

    @api.model
    def _selection_document_type(self):
        return self.env["dist.approval.rule"]._fields["document_type"].selection

    @api.model
    def _selection_document_ref(self):
        """The models the matrix holds: those using the approval mixin."""
        models = self.env.registry.descendants(["dist.approval.mixin"], "_inherit")
        return [
            (model, self.env["ir.model"]._get(model).name)
            for model in sorted(models)
            if not self.env[model]._abstract
        ]

    @api.depends_context("uid")
    @api.depends("res_model", "res_id")
    def _compute_document_ref(self):
        for request in self:
            # An approver may decide without access to the document itself.
            readable = (
                request.res_model
                and request.res_id
                and self.env[request.res_model].browse(request.res_id).has_access("read")
            )
            request.document_ref = f"{request.res_model},{request.res_id}" if readable else False

    def _document(self):
        """The document, in the system's hands: an approver chosen by the
        matrix decides whatever their own rights on it."""
        self.ensure_one()
        return self.env[self.res_model].sudo().browse(self.res_id)

    @api.depends("approver_group_id", "approver_user_ids")
    def _compute_approvers_display(self):
        for request in self:
            names = request.approver_user_ids.mapped("name")
            group = request.approver_group_id
            if group:
                members = self.env["dist.approval.rule"]._dist_eligible_approvers(
                    self.env["res.users"], group, request.company_id
                )
                names.insert(0, request._dist_group_words(group, members))
            label = ", ".join(names)
            if request.approvals_required > 1:
                label = self.env._(
                    "%(count)s of %(who)s", count=request.approvals_required, who=label
                )
            request.approvers_display = label

    def _dist_group_words(self, group, members):
        """A group as people read it: its name and who is in it."""
        if len(members) <= 3:
            return self.env._(
                "%(group)s (%(names)s)",
                group=group.display_name,
                names=", ".join(members.mapped("name")) or self.env._("nobody"),
            )
        return self.env._(
            "%(group)s (%(count)s people)", group=group.display_name, count=len(members)
        )

    @api.depends("state", "approver_user_ids", "approver_group_id", "excluded_user_ids", "vote_ids")
    def _compute_eligible(self):
        Delegation = self.env["dist.approval.delegation"]
        for request in self:
            candidates = request._dist_candidates()
            voters = request.vote_ids.user_id | request.vote_ids.on_behalf_of_id
            eligible = candidates - request.excluded_user_ids - voters
            eligible |= Delegation._dist_delegates_of(eligible)
            request.eligible_user_ids = eligible
            request.no_approver_reason = (
                request._dist_no_approver_reason(candidates)
                if request.state in ("waiting", "pending") and not eligible
                else False
            )

    def _dist_no_approver_reason(self, candidates):
        """Why nobody may decide this request, and what to do about it."""
        why = []
        if candidates & self.requested_by:
            why.append(self.env._("%(user)s requested it", user=self.requested_by.name))
        others = candidates & self.excluded_user_ids - self.requested_by
        if others:
            why.append(
                self.env._(
                    "%(users)s own the document or approved another level",
                    users=", ".join(others.mapped("name")),
                )
            )
        if not candidates:
            why.append(self.env._("the rule's approvers have no active user in this company"))
        where = self.approver_group_id.display_name or self.env._("the rule's approvers")
        return self.env._(
            "No eligible approver: %(why)s; add someone to %(where)s.",
            why="; ".join(why),
            where=where,
        )

    @api.depends("vote_ids")
    def _compute_approval_count(self):
        for request in self:
            request.approval_count = len(request.vote_ids)

    @api.depends_context("uid")
    @api.depends("pending_since", "deadline", "state")
    def _compute_sla_state(self):
        now = fields.Datetime.now()
        for request in self:
            start = request.pending_since or request.requested_on or now
            end = request.decided_on if request.state not in ("waiting", "pending") else now
            request.age_hours = max(((end or now) - start).total_seconds() / 3600.0, 0.0)
            request.age_display = self._dist_hours_words(request.age_hours)
            if not request.deadline:
                request.sla_state = "none"
            elif (request.decided_on or now) > request.deadline:
                request.sla_state = "late"
            else:
                total = (request.deadline - start).total_seconds() or 1.0
                spent = ((request.decided_on or now) - start).total_seconds()
                request.sla_state = "due_soon" if spent / total >= DUE_SOON_RATIO else "on_time"

    @api.model
    def _dist_hours_words(self, hours):
        """A duration as people read it: "45 min", "1 h 11 min", "3 d 4 h"."""
        minutes = round(hours * 60)
        if minutes < 60:
            return self.env._("%(min)s min", min=minutes)
        if minutes < 48 * 60:
            h, m = divmod(minutes, 60)
            if m:
                return self.env._("%(h)s h %(min)s min", h=h, min=m)
            return self.env._("%(h)s h", h=h)
        d, h = divmod(round(hours), 24)
        return self.env._("%(d)s d %(h)s h", d=d, h=h) if h else self.env._("%(d)s d", d=d)

    @api.depends("facts", "company_id")
    def _compute_facts_html(self):
        for request in self:
            request.facts_html = request._dist_render_facts(request.facts or {})

    @api.depends_context("uid")
    def _compute_live_html(self):
        for request in self:
            document = request._document().sudo()
            if not document.exists():
                request.live_html = False
                continue
            rows = document._dist_approval_live_facts()
            request.live_html = request._dist_render_rows(rows)

    def _dist_render_rows(self, rows):
        if not rows:
            return False
        return self.env["ir.qweb"]._render("dist_approval_matrix.facts_table", {"rows": rows})

    def _dist_render_facts(self, facts):
        """Readable rows for the JSON snapshot of the facts."""
        self.ensure_one()
        money = self._dist_money
        rows = []
        if "amount" in facts:
            rows.append((self.env._("Untaxed amount"), money(facts["amount"])))
        if "discount" in facts:
            rows.append((self.env._("Highest line discount"), f"{facts['discount']:.4g} %"))
        if "margin" in facts:
            rows.append((self.env._("Margin"), f"{facts['margin']:.4g} %"))
        credit = facts.get("credit")
        if credit and not credit.get("measured", bool(credit.get("limit"))):
            rows.append(
                (self.env._("Credit"), self.env._("not checked: the customer has no credit limit"))
            )
        elif credit:
            rows.append(
                (
                    self.env._("Credit"),
                    self.env._(
                        "limit %(limit)s, receivable %(receivable)s, to invoice "
                        "%(to_invoice)s, this document %(document)s",
                        limit=money(credit["limit"]) if credit.get("limit") else "–",
                        receivable=money(credit["receivable"]),
                        to_invoice=money(credit["to_invoice"]),
                        document=money(credit["document"]),
                    ),
                )
            )
        overdue = facts.get("overdue")
        if overdue:
            rows.append(
                (
                    self.env._("Overdue invoices"),
                    self.env["dist.approval.facts"]._dist_overdue_words(
                        overdue, self.company_id.currency_id
                    ),
                )
            )
        adjustment = facts.get("adjustment")
        if adjustment:
            rows.append(
                (
                    self.env._("Adjustment"),
                    self.env._(
                        "%(quantity)s units, value %(value)s",
                        quantity=f"{adjustment['quantity']:+.4g}",
                        value=money(adjustment["value"]),
                    ),
                )
            )
        for key, model, label in (
            ("warehouse", "stock.warehouse", self.env._("Warehouse")),
            ("team", "crm.team", self.env._("Sales team")),
            ("partner", "res.partner", self.env._("Partner")),
        ):
            if facts.get(key):
                rows.append((label, self.env[model].sudo().browse(facts[key]).display_name))
        return self._dist_render_rows(rows)

    def _dist_money(self, amount):
        return self.env["dist.approval.facts"]._dist_format_money(
            amount, self.company_id.currency_id
        )

    # ------------------------------------------------------------------
    # Who may decide
    # ------------------------------------------------------------------
    @api.model
    def _dist_acting_for(self, user=None):
        """Users the given user may act for today: themselves and delegators."""
        user = user or self.env.user
        return user | self.env["dist.approval.delegation"]._dist_delegators(user)

    def _dist_candidates(self):
        """Users who are approvers of this request (before segregation of duties)."""
        self.ensure_one()
        return self.env["dist.approval.rule"]._dist_eligible_approvers(
            self.approver_user_ids, self.approver_group_id, self.company_id
        )

    def _dist_decider_for(self, user, acting_for=None):
        """The approver on whose behalf ``user`` may decide, or an empty recordset."""
        self.ensure_one()
        if self.state != "pending" or user in self.excluded_user_ids:
            return self.env["res.users"]
        voters = self.vote_ids.user_id | self.vote_ids.on_behalf_of_id
        if user in voters:
            return self.env["res.users"]
        candidates = self._dist_candidates() - self.excluded_user_ids - voters
        if acting_for is None:
            acting_for = self._dist_acting_for(user)
        for principal in acting_for:
            if principal in candidates:
                return principal
        return self.env["res.users"]

    @api.depends_context("uid")
    @api.depends("state", "approver_user_ids", "approver_group_id", "excluded_user_ids")
    def _compute_can_decide(self):
        user = self.env.user
        acting_for = self._dist_acting_for(user)
        manager = user.has_group("dist_approval_matrix.group_dist_manager")
        for request in self:
            request.can_decide = bool(request._dist_decider_for(user, acting_for))
            request.can_override = (
                manager and request.state in ("waiting", "pending") and user != request.requested_by
            )

    def _search_can_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'May Decide'."))
        principals = self._dist_acting_for()
        user = self.env.user
        domain = (
            Domain("state", "=", "pending")
            & ~Domain("excluded_user_ids", "in", user.ids)
            & (
                Domain("approver_user_ids", "in", principals.ids)
                | Domain("approver_group_id", "in", principals.all_group_ids.ids)
            )
            & ~Domain("vote_ids.user_id", "in", user.ids)
        )
        if (operator == "=") != value:
            domain = ~domain
        return domain

    def _dist_check_decidable(self):
        """The approver acting now, and on whose behalf; raise if not allowed."""
        self.ensure_one()
        user = self.env.user
        if self.state != "pending":
            raise UserError(
                self.env._(
                    "%(request)s is %(state)s: only pending requests can be decided.",
                    request=self.display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state],
                )
            )
        if user == self.requested_by or user in self.excluded_user_ids:
            raise AccessError(
                self.env._(
                    "You cannot approve %(request)s: you requested it, are responsible for "
                    "the document or approved another level of it (segregation of duties).",
                    request=self.display_name,
                )
            )
        if user in self.vote_ids.user_id:
            raise UserError(
                self.env._("You already approved %(request)s.", request=self.display_name)
            )
        principal = self._dist_decider_for(user)
        if not principal:
            raise AccessError(
                self.env._(
                    "You are not an approver of %(request)s (approvers: %(approvers)s).",
                    request=self.display_name,
                    approvers=self.approvers_display,
                )
            )
        return principal

    # ------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------
    def action_approve(self, note=None):
        """Approve as the current user (or their delegate). Returns True."""
        for request in self:
            principal = request._dist_check_decidable()
            request._dist_vote(principal, note)
        return True

    def action_reject(self, reason):
        """Reject with a mandatory reason; the document returns to editable."""
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the rejection."))
        for request in self:
            principal = request._dist_check_decidable()
            request._dist_decide("rejected", principal, reason)
            request._document()._dist_approval_rejected(request, reason)
        return True

    def action_override(self, reason):
        """Managers force the approval of pending requests, with a reason."""
        if not self.env.user.has_group("dist_approval_matrix.group_dist_manager"):
            raise AccessError(self.env._("Only Distribution managers can override an approval."))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason of the override."))
        for request in self:
            if request.state not in ("waiting", "pending"):
                raise UserError(
                    self.env._(
                        "%(request)s is already decided; only waiting or pending requests "
                        "can be overridden.",
                        request=request.display_name,
                    )
                )
            if self.env.user == request.requested_by:
                raise AccessError(
                    self.env._(
                        "You cannot override your own request %(request)s.",
                        request=request.display_name,
                    )
                )
            request.sudo().vote_ids.create(
                {
                    "request_id": request.id,
                    "user_id": self.env.user.id,
                    "note": reason,
                    "is_override": True,
                }
            )
            request._dist_decide("approved", self.env.user, reason, override=True)
        self._dist_advance_documents()
        return True

    def _dist_vote(self, principal, note):
        self.ensure_one()
        user = self.env.user
        self.sudo().vote_ids.create(
            {
                "request_id": self.id,
                "user_id": user.id,
                "on_behalf_of_id": principal.id if principal != user else False,
                "note": note,
            }
        )
        self.activity_ids.filtered(lambda a: a.user_id in (user | principal)).sudo().unlink()
        if len(self.vote_ids) < self.approvals_required:
            self.sudo().message_post(
                body=self.env._(
                    "Approved by %(user)s (%(count)s of %(required)s).",
                    user=user.name,
                    count=len(self.vote_ids),
                    required=self.approvals_required,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return
        self._dist_decide("approved", principal, note)
        self._dist_advance_documents()

    def _dist_decide(self, state, principal, note, override=False):
        self.ensure_one()
        user = self.env.user
        self.sudo().write(
            {
                "state": state,
                "decided_by": user.id,
                "on_behalf_of_id": principal.id if principal and principal != user else False,
                "decided_on": fields.Datetime.now(),
                "decision_note": note,
                "is_override": override,
            }
        )
        self.sudo().activity_ids.unlink()
        if state == "approved":
            self._dist_exclude_from_other_levels(user | principal)

    def _dist_exclude_from_other_levels(self, users):
        """One person approves one level of a document unless a rule allows more."""
        siblings = self.search(
            [
                ("res_model", "=", self.res_model),
                ("res_id", "=", self.res_id),
                ("is_current", "=", True),
                ("state", "in", ("waiting", "pending")),
                ("level", "!=", self.level),
            ]
        ).filtered(lambda r: not r.rule_id.allow_multi_level)
        if siblings:
            siblings.sudo().write({"excluded_user_ids": [fields.Command.link(u.id) for u in users]})

    def _dist_cancel(self, reason):
        self.sudo().write(
            {"state": "cancelled", "decision_note": reason, "decided_on": fields.Datetime.now()}
        )
        self.sudo().activity_ids.unlink()

    def _dist_advance_documents(self):
        """Move the documents of these requests to their next level or completion."""
        by_model = defaultdict(list)
        for request in self:
            by_model[request.res_model].append(request.res_id)
        for model, ids in by_model.items():
            # The approval is the authorization: the document moves on whatever
            # the approver's own rights on it (the decision records who).
            self.env[model].sudo().browse(ids)._dist_approval_advance()

    def _dist_make_pending(self):
        """Open these requests for decision: deadline, activities for the approvers."""
        now = fields.Datetime.now()
        by_sla = self.grouped(lambda r: r.rule_id.sla_hours)
        for sla, requests in by_sla.items():
            requests.sudo().write(
                {
                    "state": "pending",
                    "pending_since": now,
                    "deadline": now + timedelta(hours=sla) if sla else False,
                }
            )
        Delegation = self.env["dist.approval.delegation"]
        todo = []
        for request in self:
            users = request._dist_candidates() - request.excluded_user_ids
            for user in users | Delegation._dist_delegates_of(users):
                todo.append(
                    (
                        request,
                        user,
                        self.env._("Approve %(doc)s", doc=request.res_name),
                        request.reason,
                        (request.deadline or now).date(),
                    )
                )
        self.sudo()._dist_schedule_activities(
            todo,
            self.env.ref("dist_approval_matrix.mail_act_dist_approval", raise_if_not_found=False),
            notify=True,
        )

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate(self, batch_size=500):
        """Escalate overdue requests in batches, committing after each."""
        while True:
            done = self._dist_escalate_overdue(limit=batch_size)
            if not done:
                return True
            remaining = self.search_count(self._dist_overdue_domain())
            if not self.env["ir.cron"]._commit_progress(len(done), remaining=remaining):
                return True

    @api.model
    def _dist_overdue_domain(self):
        return [
            ("state", "=", "pending"),
            ("deadline", "<", fields.Datetime.now()),
            ("is_overdue", "=", False),
        ]

    @api.model
    def _dist_escalate_overdue(self, limit=None):
        """Mark pending requests past their SLA overdue; tell the escalation user once."""
        now = fields.Datetime.now()
        late = self.search(self._dist_overdue_domain(), limit=limit)
        late.write({"is_overdue": True, "escalated_on": now})
        todo = []
        for request in late:
            escalation = request.rule_id.escalation_user_id
            body = self.env._(
                "%(request)s is past its SLA (deadline %(deadline)s).",
                request=request.display_name,
                deadline=fields.Datetime.to_string(request.deadline),
            )
            summary = self.env._("Overdue approval: %(doc)s", doc=request.res_name)
            todo.append((request, escalation, summary, body, now.date()))
            request.message_post(
                body=body,
                partner_ids=escalation.partner_id.ids,
                subtype_xmlid="mail.mt_comment" if escalation else "mail.mt_note",
            )
        self._dist_schedule_activities(
            todo,
            self.env.ref("dist_approval_matrix.mail_act_dist_approval", raise_if_not_found=False),
        )
        return late

    # ------------------------------------------------------------------
    # UI
    # ------------------------------------------------------------------
    def action_open_document(self):
        self.ensure_one()
        return self._document().get_formview_action()

    def _dist_decision_wizard(self, decision):
        titles = {
            "approve": self.env._("Approve"),
            "reject": self.env._("Reject"),
            "override": self.env._("Override"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[decision],
            "res_model": "dist.approval.decision",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_request_ids": self.ids, "default_decision": decision},
        }

    def action_open_reject_wizard(self):
        return self._dist_decision_wizard("reject")

    def action_open_override_wizard(self):
        return self._dist_decision_wizard("override")

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Approval requests are kept for audit: cancel them instead of deleting.")
        )
