# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import contextlib
import json

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, RedirectWarning, UserError

from .. import engine

CHANGE_STATES = [
    ("pending", "Waiting for Approval"),
    ("applied", "Applied"),
    ("rejected", "Rejected"),
    ("withdrawn", "Withdrawn"),
]
_CONTROLLING = "dist_approval_controlling"


class _Verdict(Exception):
    """Carries what a tried change needs out of the savepoint that undoes it."""


class DistApprovalChange(models.Model):
    """A change to a running document (a confirmed order) held for approval.

    The matrix holds for the whole life of a document: a change to a
    confirmed order that makes a rule trigger which no approval covers yet is
    refused (the user is offered to send it for approval), or, when asked,
    kept here with its approval requests while the order runs on unchanged.
    Approved, it is applied as requested; rejected or withdrawn, it never is.

    An approval covers a rule as long as none of the facts the rule reads got
    worse than when it was given (``engine.covered``): lowering a quantity
    of an approved order passes, raising a discount past what was approved
    does not.
    """

    _name = "dist.approval.change"
    _description = "Change Waiting for Approval"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "res_name"

    res_model = fields.Char("Document Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        "Document ID", model_field="res_model", required=True, readonly=True, index=True
    )
    res_name = fields.Char("Document", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    vals = fields.Json("Change", readonly=True, help="The write applied once approved.")
    summary = fields.Text(readonly=True, help="The change, as the approvers read it.")
    note = fields.Text(readonly=True, help="Why the requester wants the change.")
    state = fields.Selection(
        CHANGE_STATES, required=True, default="pending", readonly=True, index=True, tracking=True
    )
    requested_by = fields.Many2one("res.users", required=True, readonly=True)
    requested_on = fields.Datetime(required=True, readonly=True)
    decided_on = fields.Datetime(readonly=True)
    previous_approval_state = fields.Char(readonly=True)
    request_ids = fields.One2many("dist.approval.request", "change_id", readonly=True)

    def _document(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    # ------------------------------------------------------------------
    # Trying a change
    # ------------------------------------------------------------------
    @api.model
    @contextlib.contextmanager
    def _dist_controlling(self, documents):
        """While a change of ``documents`` is tried, its inner writes (lines,
        recomputations) are not controlled again."""
        cache = self.env.cr.cache
        keys = {(documents._name, rid) for rid in documents.ids}
        cache.setdefault(_CONTROLLING, set()).update(keys)
        try:
            yield
        finally:
            cache[_CONTROLLING] -= keys

    @api.model
    def _dist_is_controlling(self, documents):
        controlling = self.env.cr.cache.get(_CONTROLLING, ())
        return documents.filtered(lambda d: (d._name, d.id) in controlling)

    @api.model
    def _dist_uncovered(self, documents):
        """{document: [(rule, reason)]}: the rules triggering on the documents
        as they are now that no approval given to them covers, and the facts."""
        evaluation = documents._dist_approval_evaluate()
        approved = {}
        for request in (
            self.env["dist.approval.request"]
            .sudo()
            .search(
                [
                    ("res_model", "=", documents._name),
                    ("res_id", "in", documents.ids),
                    ("state", "=", "approved"),
                    # What was approved for a change never applied covers nothing.
                    "|",
                    ("change_id", "=", False),
                    ("change_id.state", "=", "applied"),
                ],
                order="id",
            )
        ):
            approved[request.res_id, request.rule_id.id] = request.facts or {}
        Rule = self.env["dist.approval.rule"]
        result = {}
        for document in documents:
            triggered, facts = evaluation[document.id]
            specs = {
                spec.id: spec
                for spec in Rule._dist_rule_specs(
                    document._dist_approval_company().id, document._dist_approval_type
                )
            }
            uncovered = [
                (rule, reason)
                for rule, reason in triggered
                if not engine.covered(specs[rule.id], facts, approved.get((document.id, rule.id)))
            ]
            if uncovered:
                result[document] = (uncovered, facts)
        return result

    @api.model
    def _dist_try(self, documents, apply, keep=True):
        """Run ``apply()`` on these running documents; keep it when no
        approval is needed (and ``keep``), otherwise undo it.

        :return: (result of apply, or None when undone; {document:
            (uncovered rules with reasons, facts)} for the documents needing
            approval; {document: the change in words} when undone)
        """
        try:
            with self.env.cr.savepoint():
                before = {document: document._dist_approval_snapshot() for document in documents}
                with self._dist_controlling(documents):
                    result = apply()
                uncovered = self._dist_uncovered(documents)
                if uncovered or not keep:
                    summaries = {
                        document: document._dist_approval_describe_change(
                            before[document], document._dist_approval_snapshot()
                        )
                        for document in documents
                    }
                    raise _Verdict(uncovered, summaries)
        except _Verdict as verdict:
            return None, *verdict.args
        return result, {}, {}

    @api.model
    def _dist_check_none_pending(self, documents):
        """One change at a time: a document waiting for a decision changes no further."""
        pending = documents.filtered(lambda d: d.approval_state == "pending")
        if pending:
            raise UserError(
                self.env._(
                    "A change of %(docs)s already waits for approval: wait for the "
                    "decision or withdraw it before changing the document again.",
                    docs=", ".join(pending.mapped("display_name")),
                )
            )

    @api.model
    def _dist_control(self, documents, apply, proposals):
        """A change of running documents: applied when the matrix allows it,
        refused otherwise with the way to send it for approval.

        ``proposals`` maps each document to the write (on the document) that
        makes the same change, offered for approval.
        """
        self._dist_check_none_pending(documents)
        result, needed, summaries = self._dist_try(documents, apply)
        if not needed:
            return result
        document, (uncovered, _facts) = next(iter(needed.items()))
        summary = summaries[document]
        message = self.env._(
            "%(doc)s is confirmed, and this change needs approval first:\n%(reasons)s\n\n"
            "Change: %(summary)s\n\nSend it for approval (the document keeps running as it "
            "is until the change is approved), or undo it. API clients call "
            "action_dist_request_change(vals) on the document.",
            doc=document.display_name,
            reasons="\n".join(f"- {rule.name}: {reason}" for rule, reason in uncovered),
            summary=summary,
        )
        vals = proposals.get(document)
        if vals is None:
            raise UserError(message)
        raise RedirectWarning(
            message,
            self.env["dist.approval.change.wizard"]._dist_action(document, vals),
            self.env._("Send for Approval"),
        )

    # ------------------------------------------------------------------
    # Holding a change
    # ------------------------------------------------------------------
    @api.model
    def _dist_hold(self, document, vals, note=None):
        """Apply ``vals`` to the running ``document`` when the matrix allows
        it, else keep it for approval. Returns the change held, if any."""
        document.ensure_one()
        vals = json.loads(json.dumps(vals, default=str))
        self._dist_check_none_pending(document)
        __, needed, summaries = self._dist_try(document, lambda: document.write(vals))
        if not needed:
            return self.browse()
        uncovered, facts = needed[document]
        summary = summaries[document]
        document._dist_approval_check_evidence([rule for rule, __ in uncovered])
        change = self.sudo().create(
            {
                "res_model": document._name,
                "res_id": document.id,
                "res_name": document.display_name,
                "company_id": document._dist_approval_company().id,
                "vals": vals,
                "summary": summary,
                "note": note,
                "requested_by": self.env.user.id,
                "requested_on": fields.Datetime.now(),
                "previous_approval_state": document.approval_state or False,
            }
        )
        document._dist_approval_request(uncovered, facts, False, change=change)
        return change

    def _dist_apply(self):
        """All approvals were given: make the change, as the requester asked."""
        for change in self.filtered(lambda c: c.state == "pending"):
            document = change._document().sudo()
            try:
                with self.env.cr.savepoint():
                    document._dist_with_gate().write(change.vals)
            except (UserError, ValueError) as error:
                raise UserError(
                    self.env._(
                        "The approved change of %(doc)s can no longer be applied (%(error)s): "
                        "reject it and ask for a new one.",
                        doc=change.res_name,
                        error=error,
                    )
                ) from error
            change.sudo().write({"state": "applied", "decided_on": fields.Datetime.now()})
            document._dist_approval_set_state("approved")
            document._dist_approval_post(
                self.env._("Approved change applied: %(summary)s", summary=change.summary)
            )

    def _dist_close(self, state, reason):
        """Reject or withdraw: the document runs on as before the change."""
        for change in self.filtered(lambda c: c.state == "pending"):
            document = change._document().sudo()
            change.sudo().write({"state": state, "decided_on": fields.Datetime.now()})
            document._dist_approval_set_state(change.previous_approval_state or False)
            document._dist_approval_post(
                self.env._(
                    "Change not applied (%(state)s): %(summary)s. %(reason)s",
                    state=dict(self._fields["state"]._description_selection(self.env))[state],
                    summary=change.summary,
                    reason=reason or "",
                )
            )

    def action_withdraw(self):
        """The requester (or a manager) takes the change back."""
        for change in self:
            if self.env.user != change.requested_by and not self.env.user.has_group(
                "dist_approval_matrix.group_dist_manager"
            ):
                raise AccessError(
                    self.env._(
                        "Only %(user)s, who asked for it, or a Distribution manager can "
                        "withdraw this change.",
                        user=change.requested_by.name,
                    )
                )
            change.request_ids.filtered(lambda r: r.state in ("waiting", "pending"))._dist_cancel(
                self.env._("The change was withdrawn.")
            )
            change._dist_close("withdrawn", "")
        return True

    def _dist_summary_html(self):
        return Markup("<br/>").join(self.summary.splitlines()) if self.summary else False
