# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

APPROVAL_STATES = [
    ("not_required", "Not Required"),
    ("pending", "Pending Approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]

# Facts that describe the document itself: a change of one of them cancels
# its approvals. Customer context (credit, overdue invoices) moves on its own
# and is re-read live instead.
SIGNED_FACTS = (
    "amount",
    "currency",
    "discount",
    "margin",
    "adjustment",
    "partner",
    "warehouse",
    "team",
    "product_categories",
    "partner_categories",
)


class _GateMarker:
    """Context marker: the approval matrix let the marked documents through.

    RPC clients can only put JSON in a context, never this object, so the
    marker cannot be forged from outside. Which documents passed is kept on
    the cursor; the marker is one shared object so that environments derived
    from a gated one are reused as usual.
    """

    __slots__ = ()

    def __repr__(self):
        return "<dist approval gate>"


_GATE = _GateMarker()
_GATE_KEY = "dist_approval_gate"
# Context marker: documents are being created; their lines are part of the
# creation, which the gate checks as a whole (an object: RPC cannot forge it).
_CREATING = object()
_CREATING_KEY = "dist_approval_creating"


class DistApprovalMixin(models.AbstractModel):
    """A document whose confirmation the approval matrix may hold.

    A document model inherits this mixin, sets ``_dist_approval_type`` and
    implements the hooks below (facts, responsible users, completion and
    revert). Every gate calls ``_dist_approval_gate``: one evaluation of the
    matrix per call, whatever the number of rules and documents.
    """

    _name = "dist.approval.mixin"
    _inherit = ["dist.protected.mixin"]
    _description = "Approval Matrix Document"
    # The rules' document type, the state the held action leads to (guarded
    # against raw writes and imports) and the fields that carry facts.
    _dist_approval_type = None
    _dist_approval_done_state = None
    _dist_approval_watched_fields = frozenset()
    # The lines (dist.approval.line.mixin) a change of a running document touches.
    _dist_approval_lines_field = None

    approval_state = fields.Selection(
        APPROVAL_STATES,
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Empty while no approval rule applies to the document.",
    )
    approval_request_ids = fields.One2many(
        "dist.approval.request",
        "res_id",
        domain=lambda self: [("res_model", "=", self._name)],
        string="Approval Requests",
        copy=False,
        readonly=True,
    )
    approval_request_count = fields.Integer(compute="_compute_approval_banner")
    dist_approval_signature = fields.Char(copy=False, readonly=True)
    dist_approval_banner = fields.Html(
        "Approval Status", compute="_compute_approval_banner", sanitize=False
    )
    dist_approval_can_decide = fields.Boolean(compute="_compute_approval_banner")
    dist_approval_change_pending = fields.Boolean(
        "Change Waiting for Approval", compute="_compute_approval_banner"
    )

    # ------------------------------------------------------------------
    # Hooks each document implements
    # ------------------------------------------------------------------
    def _dist_approval_company(self):
        return self.company_id

    def _dist_approval_facts(self, needed):
        """{record id: {fact: value}} for the facts named in ``needed``.

        Scope facts: ``warehouse``, ``team`` (ids), ``partner_categories``,
        ``product_categories`` (ids, ancestors included). Thresholds:
        ``amount`` (untaxed, company currency), ``discount`` (highest line
        %), ``margin`` (%), ``credit`` and ``overdue`` (dicts), ``adjustment``.
        Signature: ``partner``, ``currency``. Compute only what is asked.
        """
        raise NotImplementedError

    def _dist_approval_responsible_users(self):
        """Users who may not approve this document (salesperson, buyer)."""
        return self.env["res.users"]

    def _dist_approval_complete(self):
        """Do what the approval held back (confirm, approve, post, apply)."""
        raise NotImplementedError

    def _dist_approval_revert(self, reason):
        """Return the document to its editable state after a rejection."""
        return True

    def _dist_approval_live_facts(self):
        """[(label, value)] read now, for approvers."""
        return []

    def _dist_approval_is_open(self):
        """Whether the held action is still to be done."""
        raise NotImplementedError

    def _dist_approval_is_running(self):
        """Whether the document passed its held action and can still be
        changed (a confirmed order): its changes are then controlled."""
        return False

    def _dist_approval_snapshot(self):
        """{key: words} describing the document's lines, to tell a change."""
        if not self._dist_approval_lines_field:
            return {}
        return self[self._dist_approval_lines_field]._dist_approval_describe()

    def _dist_approval_describe_change(self, before, after):
        """A change between two snapshots, in words, one line per change."""
        lines = []
        for key, text in after.items():
            if key not in before:
                lines.append(self.env._("Added: %(line)s", line=text))
            elif before[key] != text:
                lines.append(
                    self.env._("Changed: %(before)s → %(after)s", before=before[key], after=text)
                )
        lines += [
            self.env._("Removed: %(line)s", line=text)
            for key, text in before.items()
            if key not in after
        ]
        return "\n".join(lines) or self.env._("Header fields changed.")

    def _dist_money(self, amount):
        """``amount`` in the document's company currency, as people read it."""
        return self.env["dist.approval.facts"]._dist_format_money(
            amount, self._dist_approval_company().currency_id
        )

    def _dist_has_chatter(self):
        return "message_ids" in self._fields

    # ------------------------------------------------------------------
    # Gate
    # ------------------------------------------------------------------
    def _dist_gate_passed(self):
        """True when the matrix already let every record of self through."""
        if self.env.context.get(_GATE_KEY) is not _GATE:
            return False
        passed = self.env.cr.cache.get(_GATE_KEY, ())
        return all((self._name, rid) in passed for rid in self.ids)

    def _dist_with_gate(self, passed=None):
        """Self in an environment where the records ``passed`` (all of self by
        default) went through the gate."""
        cr = self.env.cr
        if _GATE_KEY not in cr.cache:
            cr.cache[_GATE_KEY] = set()
            cr.postrollback.add(lambda: cr.cache.pop(_GATE_KEY, None))
        passed = self if passed is None else passed
        cr.cache[_GATE_KEY].update((self._name, rid) for rid in passed.ids)
        return self.with_context(**{_GATE_KEY: _GATE})

    def _dist_matrix_active(self):
        """Records of self whose company has rules for this document type.

        Costs no query once the matrix is cached: the unconfigured path of
        every gate stays Odoo's own.
        """
        Rule = self.env["dist.approval.rule"]
        return self.filtered(
            lambda r: Rule._dist_rule_ids(r._dist_approval_company().id, self._dist_approval_type)
        )

    def _dist_approval_gate(self, raise_if_blocked=False):
        """Evaluate the matrix; return the records that may proceed.

        Records that need approval get their requests (level 1 pending, the
        others waiting) and are left out, unless ``raise_if_blocked``, used by
        the paths that cannot wait (a raw write of the state, an import),
        where a UserError names the approvals needed.
        """
        if self._dist_gate_passed():
            return self
        active = self._dist_matrix_active()
        if not active:
            return self
        allowed = self - active
        pending = active.filtered(lambda r: r.approval_state == "pending")
        if pending and raise_if_blocked:
            raise UserError(pending._dist_approval_blocked_message())
        approved = active.filtered(lambda r: r.approval_state == "approved")
        if approved:
            signatures = approved._dist_approval_signatures()
            allowed |= approved.filtered(lambda r: signatures[r.id] == r.dist_approval_signature)
        candidates = active - pending - allowed
        evaluation = candidates._dist_approval_evaluate()
        triggered_records = candidates.filtered(lambda r: evaluation[r.id][0])
        if triggered_records and raise_if_blocked:
            raise UserError(triggered_records._dist_approval_blocked_message(evaluation))
        not_required = candidates - triggered_records
        if not_required:
            not_required._dist_approval_set_state("not_required")
            allowed |= not_required
        if triggered_records:
            signatures = triggered_records._dist_approval_signatures()
            for record in triggered_records:
                triggered, facts = evaluation[record.id]
                record._dist_approval_request(triggered, facts, signatures[record.id])
        # Set operations drop the prefetch set: give it back, so that the
        # confirmation that follows reads its data for all records at once.
        return allowed.with_prefetch(self._prefetch_ids)

    def _dist_approval_set_state(self, state):
        self._dist_as_system().sudo().write({"approval_state": state})

    def _dist_approval_write_signature(self, signature):
        self._dist_as_system().sudo().write({"dist_approval_signature": signature})

    def _dist_approval_evaluate(self):
        """{record id: ([(rule, reason)], facts)}: the matrix on these documents."""
        return self.env["dist.approval.rule"]._dist_evaluate(
            self._dist_approval_type,
            {record.id: record._dist_approval_company() for record in self},
            lambda ids, needed: (
                self.browse(ids).with_prefetch(self._prefetch_ids)._dist_approval_facts(needed)
            ),
        )

    def _dist_approval_signatures(self):
        """{record id: hash of the facts describing the document itself}."""
        Rule = self.env["dist.approval.rule"]
        own = set(SIGNED_FACTS) & (
            Rule._dist_applicable_facts(self._dist_approval_type) | {"partner", "currency"}
        )
        facts = self._dist_approval_facts(own)
        return {record.id: record._dist_approval_sign(facts[record.id]) for record in self}

    def _dist_approval_sign(self, facts):
        signed = {key: facts.get(key) for key in SIGNED_FACTS if key in facts}
        payload = json.dumps(signed, sort_keys=True, default=str)
        return hashlib.sha1(payload.encode()).hexdigest()

    def _dist_approval_blocked_message(self, evaluation=None):
        lines = []
        for record in self:
            if evaluation and record.id in evaluation:
                reasons = [reason for _rule, reason in evaluation[record.id][0]]
            else:
                reasons = record.approval_request_ids.filtered(
                    lambda r: r.is_current and r.state in ("waiting", "pending")
                ).mapped("reason")
            lines.append(f"{record.display_name}: {'; '.join(reasons)}")
        return self.env._(
            "These documents need approval first: use their own button (Confirm, "
            "Post, Apply) so that the approvers are asked.\n%(lines)s",
            lines="\n".join(lines),
        )

    def _dist_approval_request(self, triggered, facts, signature, change=None):
        """Create the requests of one document, level 1 pending; for a
        ``change`` of a running document, the requests approve that change."""
        self.ensure_one()
        self._dist_approval_check_evidence([rule for rule, __ in triggered])
        Request = self.env["dist.approval.request"].sudo()
        self._dist_approval_retire_requests(keep_approved=bool(change))
        requester = self._dist_approval_requester()
        excluded = requester | self._dist_approval_responsible_users()
        first_level = min(rule.level for rule, _reason in triggered)
        now = fields.Datetime.now()
        vals_list = []
        for rule, reason in sorted(triggered, key=lambda t: (t[0].level, t[0].sequence)):
            vals_list.append(
                {
                    "res_model": self._name,
                    "res_id": self.id,
                    "res_name": self.display_name,
                    "rule_id": rule.id,
                    "document_type": self._dist_approval_type,
                    "company_id": self._dist_approval_company().id,
                    "level": rule.level,
                    "state": "waiting",
                    "requested_by": requester.id,
                    "requested_on": now,
                    "reason": reason,
                    "facts": facts,
                    "approver_group_id": rule.approver_group_id.id,
                    "approver_user_ids": [fields.Command.set(rule.approver_user_ids.ids)],
                    "approvals_required": rule.approvals_required,
                    "excluded_user_ids": [fields.Command.set(excluded.ids)],
                    "change_id": change.id if change else False,
                }
            )
        requests = Request.create(vals_list)
        self._dist_approval_set_state("pending")
        self._dist_approval_write_signature(signature)
        requests.filtered(lambda r: r.level == first_level)._dist_make_pending()
        reasons = Markup("<ul>%s</ul>") % Markup().join(
            Markup("<li>%s</li>")
            % self.env._("Level %(level)s: %(reason)s", level=r.level, reason=r.reason)
            for r in requests
        )
        if change:
            body = self.env._(
                "Change sent for approval by %(user)s:%(summary)s%(reasons)s",
                user=requester.name,
                summary=Markup("<p>%s</p>") % change._dist_summary_html(),
                reasons=reasons,
            )
        else:
            body = self.env._(
                "Approval requested by %(user)s:%(reasons)s",
                user=requester.name,
                reasons=reasons,
            )
        self._dist_approval_post(body)
        return requests

    def _dist_approval_requester(self):
        """Who asks: the user, or, when automation acts (OdooBot: a cron, data
        loading), the person responsible for the document."""
        if self.env.user.id == SUPERUSER_ID:
            return self._dist_approval_responsible_users()[:1] or self.env.user
        return self.env.user

    def _dist_approval_post(self, body):
        """A note on the document (or, without chatter, on its current request)."""
        self.ensure_one()
        target = self if self._dist_has_chatter() else self.approval_request_ids[:1]
        target.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")

    def _dist_approval_check_evidence(self, rules):
        """Rules wanting an attachment can only be asked with one on the document."""
        wanting = [rule for rule in rules if rule.evidence_required]
        if not wanting:
            return
        has_attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search_count([("res_model", "=", self._name), ("res_id", "=", self.id)], limit=1)
        )
        if not has_attachment:
            raise UserError(
                self.env._(
                    "Approval of %(doc)s needs an attachment first: %(what)s. Attach it to "
                    "the document (paperclip in the chatter), then try again.",
                    doc=self.display_name,
                    what="; ".join(
                        self.env._(
                            "%(what)s (rule “%(rule)s”)",
                            what=rule.evidence_label or self.env._("a supporting document"),
                            rule=rule.name,
                        )
                        for rule in wanting
                    ),
                )
            )

    def _dist_approval_retire_requests(self, keep_approved=False):
        """Take the requests of earlier evaluations out of the current cycle.

        Approvals given to a running document stay given when a change of it
        is sent for approval: they still cover what they approved.
        """
        old = self.approval_request_ids.filtered("is_current")
        retired = ("waiting", "pending") if keep_approved else ("waiting", "pending", "approved")
        old.filtered(lambda r: r.state in retired)._dist_cancel(
            self.env._("Superseded by a new evaluation.")
        )
        old.sudo().write({"is_current": False})

    # ------------------------------------------------------------------
    # Progress of the requests
    # ------------------------------------------------------------------
    def _dist_approval_advance(self):
        """After a decision: next level, or completion when all approved."""
        for record in self:
            current = record.approval_request_ids.filtered("is_current")
            if any(r.state == "rejected" for r in current) or not current:
                continue
            open_requests = current.filtered(lambda r: r.state in ("waiting", "pending"))
            if not open_requests:
                record._dist_approval_set_state("approved")
                record._dist_approval_notify_requester(approved=True)
                if current.change_id:
                    current.change_id._dist_apply()
                elif record._dist_approval_is_open():
                    record.sudo()._dist_with_gate()._dist_approval_complete()
                continue
            if not open_requests.filtered(lambda r: r.state == "pending"):
                level = min(open_requests.mapped("level"))
                open_requests.filtered(lambda r, lv=level: r.level == lv)._dist_make_pending()

    def _dist_approval_rejected(self, request, reason):
        self.ensure_one()
        current = self.approval_request_ids.filtered("is_current")
        (current - request).filtered(lambda r: r.state in ("waiting", "pending"))._dist_cancel(
            self.env._("Level %(level)s was rejected.", level=request.level)
        )
        self._dist_approval_notify_requester(approved=False, reason=reason)
        if request.change_id:
            request.change_id._dist_close("rejected", reason)
            return
        self._dist_approval_set_state("rejected")
        self.sudo()._dist_with_gate()._dist_approval_revert(reason)

    def _dist_approval_notify_requester(self, approved, reason=None):
        self.ensure_one()
        current = self.approval_request_ids.filtered("is_current")
        requesters = current.requested_by.filtered(lambda u: not u.share and u.active)
        if approved:
            body = self.env._("All approvals were given by %(user)s.", user=self.env.user.name)
        else:
            body = self.env._(
                "Approval rejected by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
            )
        target = self if self._dist_has_chatter() else current[:1]
        target.sudo().message_post(
            body=body,
            partner_ids=requesters.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    def _dist_approval_invalidate(self, reason):
        """The document changed: cancel its approvals; it will be evaluated again."""
        for record in self:
            current = record.approval_request_ids.filtered("is_current")
            current.filtered(lambda r: r.state in ("waiting", "pending", "approved"))._dist_cancel(
                reason
            )
            current.sudo().write({"is_current": False})
            if record._dist_has_chatter():
                record.sudo().message_post(
                    body=self.env._(
                        "Approvals cancelled: %(reason)s It will be evaluated again at "
                        "the next confirmation.",
                        reason=reason,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        self._dist_approval_set_state(False)
        self._dist_approval_write_signature(False)

    def _dist_approval_recheck(self):
        """Cancel the approvals of documents whose facts changed.

        Called after writes that may touch the facts; changes that leave the
        signed facts as they were keep the approvals.
        """
        if not self._dist_matrix_active():
            return
        held = self.filtered(
            lambda r: r.approval_state in ("pending", "approved") and r._dist_approval_is_open()
        )
        if not held:
            return
        signatures = held._dist_approval_signatures()
        changed = held.filtered(lambda r: signatures[r.id] != r.dist_approval_signature)
        if changed:
            changed._dist_approval_invalidate(
                self.env._("the document changed after approval was asked.")
            )

    # ------------------------------------------------------------------
    # Guards: every path into the held action goes through the gate
    # ------------------------------------------------------------------
    def _dist_run_gated(self, candidates, action):
        """Run ``action(records)`` on self but the candidates the matrix holds.

        The held ones get their approval requests; the user is told, unless
        the action opened a wizard, which they must see.
        """
        allowed = candidates._dist_approval_gate()
        held = candidates - allowed
        rest = (self - held).with_prefetch(self._prefetch_ids)
        result = action(rest._dist_with_gate()) if rest else True
        if held and not (
            isinstance(result, dict) and result.get("type") == "ir.actions.act_window"
        ):
            return self._dist_held_notification(held)
        return True if result is None else result

    @api.model_create_multi
    def create(self, vals_list):
        creating = self.with_context(**{_CREATING_KEY: _CREATING})
        records = super(DistApprovalMixin, creating).create(vals_list).with_env(self.env)
        records._dist_guard_created()
        return records

    def write(self, vals):
        self._dist_guard_write(vals)
        controlled = self._dist_changes_controlled(vals)
        if controlled:

            def apply():
                res = super(DistApprovalMixin, self).write(vals)
                (self - controlled)._dist_after_write(vals)
                return res

            return self.env["dist.approval.change"]._dist_control(
                controlled, apply, dict.fromkeys(controlled, vals)
            )
        res = super().write(vals)
        self._dist_after_write(vals)
        return res

    def _dist_changes_controlled(self, vals=None):
        """Records of self whose change by ``vals`` (or by their lines) the
        matrix controls: running documents of companies with rules, changed
        outside the gate. Costs no query when ``vals`` touches no fact."""
        if vals is not None and not self._dist_approval_watched_fields.intersection(vals):
            return self.browse()
        if self._dist_gate_passed() or self.env.context.get(_CREATING_KEY) is _CREATING:
            return self.browse()
        running = self.filtered(lambda r: r._dist_approval_is_running())
        if not running:
            return running
        active = running._dist_matrix_active()
        return active - self.env["dist.approval.change"]._dist_is_controlling(active)

    def _dist_guard_created(self):
        """Documents created directly in the done state (imports, RPC) pass the gate."""
        done = self._dist_approval_done_state
        created_done = self.filtered(lambda r: r.state == done) if done else self.browse()
        if created_done:
            created_done._dist_approval_gate(raise_if_blocked=True)

    def _dist_guard_write(self, vals):
        """Before a write: no raw write into the done state."""
        done = self._dist_approval_done_state
        if done and vals.get("state") == done and not self._dist_gate_passed():
            self.filtered(lambda r: r.state != done)._dist_approval_gate(raise_if_blocked=True)

    def _dist_after_write(self, vals):
        """After a write that may touch the facts, cancel approvals that no longer hold."""
        if self._dist_approval_watched_fields & set(vals) and not self._dist_gate_passed():
            self._dist_approval_recheck()

    def _dist_protected_field_names(self):
        return super()._dist_protected_field_names() | {
            "approval_state",
            "dist_approval_signature",
        }

    def _dist_protected_error(self, field_names):
        if not field_names & {"approval_state", "dist_approval_signature"}:
            return super()._dist_protected_error(field_names)
        return UserError(
            self.env._(
                "The approval state is set by the approval matrix only; "
                "use Confirm and the approvers' decisions instead."
            )
        )

    # ------------------------------------------------------------------
    # Banner and buttons on the document
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    @api.depends("approval_state", "approval_request_ids.state")
    def _compute_approval_banner(self):
        for record in self:
            requests = record.approval_request_ids
            record.approval_request_count = len(requests)
            current = requests.filtered("is_current")
            record.dist_approval_can_decide = bool(current.filtered("can_decide"))
            record.dist_approval_change_pending = bool(
                current.change_id.filtered(lambda c: c.state == "pending")
            )
            if record.approval_state != "pending" or not current:
                record.dist_approval_banner = False
                continue
            record.dist_approval_banner = record._dist_approval_render_banner(current)

    def _dist_approval_render_banner(self, requests):
        states = dict(requests._fields["state"]._description_selection(self.env))
        return self.env["ir.qweb"]._render(
            "dist_approval_matrix.approval_banner",
            {
                "requests": requests.sorted("level"),
                "change": requests.change_id[:1],
                "states": states,
                "live_facts": self._dist_approval_live_facts(),
            },
        )

    def _dist_requests_i_can_decide(self):
        requests = self.approval_request_ids.filtered(lambda r: r.is_current and r.can_decide)
        if not requests:
            raise UserError(
                self.env._(
                    "%(doc)s has no approval you may decide now.",
                    doc=", ".join(self.mapped("display_name")),
                )
            )
        return requests

    def action_dist_approve(self):
        """Approve what the user may decide now on this document: one level.
        Several requests at once (several rules of that level) are confirmed
        in the decision wizard, which lists them."""
        requests = self._dist_requests_i_can_decide()
        requests = requests.filtered(lambda r: r.level == min(requests.mapped("level")))
        if len(requests) > 1:
            return requests._dist_decision_wizard("approve")
        requests.action_approve()
        return True

    def action_dist_reject(self):
        return self._dist_requests_i_can_decide()[:1].action_open_reject_wizard()

    def action_dist_request_change(self, vals, note=None):
        """Make ``vals`` (a write) on this running document, or send it for
        approval when the matrix asks for it: the document runs on unchanged
        until the change is approved. Returns True or an action."""
        self.ensure_one()
        self.check_access("write")
        change = self.env["dist.approval.change"]._dist_hold(self, vals, note)
        if not change:
            return True
        return self._dist_notification(
            self.env._("Change sent for approval"),
            self.env._(
                "%(doc)s runs on unchanged until the approvers accept: %(summary)s",
                doc=self.display_name,
                summary=change.summary,
            ),
            kind="info",
        )

    def action_dist_withdraw_change(self):
        """Withdraw the change of this document that waits for approval."""
        changes = self.env["dist.approval.change"].search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids), ("state", "=", "pending")]
        )
        if not changes:
            raise UserError(self.env._("No change of these documents waits for approval."))
        return changes.action_withdraw()

    def action_dist_view_approvals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "dist_approval_matrix.dist_approval_request_action_all"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"search_default_current": 1}
        return action

    def _dist_notification(self, title, message, kind="warning"):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _dist_held_notification(self, held):
        reasons = defaultdict(list)
        for request in held.approval_request_ids.filtered(
            lambda r: r.is_current and r.state == "pending"
        ):
            reasons[request.res_id].append(request.reason)
        message = "; ".join(
            f"{record.display_name}: {', '.join(reasons[record.id]) or ''}" for record in held
        )
        return self._dist_notification(
            self.env._("Sent for approval"),
            self.env._("%(docs)s. The approvers have been notified.", docs=escape(message)),
        )
