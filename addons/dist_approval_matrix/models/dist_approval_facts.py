# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools.misc import formatLang


class DistApprovalFacts(models.AbstractModel):
    """The facts several documents share, computed the same way for each.

    Documents call these from their ``_dist_approval_facts``: customer
    context (credit exposure, overdue invoices), scope (tags and categories
    with their ancestors) and how an amount reads to people.
    """

    _name = "dist.approval.facts"
    _description = "Approval Matrix Facts"

    @api.model
    def _dist_format_money(self, amount, currency):
        """An amount as people read it, in ``currency`` (a res.currency)."""
        return formatLang(self.env, amount or 0.0, currency_obj=currency)

    @api.model
    def _dist_ancestor_ids(self, categories):
        """Ids of the categories and of all their parents (parent_path), no query."""
        return sorted(
            {
                int(part)
                for path in categories.mapped("parent_path")
                for part in path.split("/")
                if part
            }
        )

    @api.model
    def _dist_document_facts(self, needed, partner, lines, currency=None, warehouse=None,
                             team=None):  # fmt: skip
        """The facts commercial documents share: parties, scope, discount."""
        commercial = partner.commercial_partner_id
        values = {}
        if "partner" in needed:
            values["partner"] = commercial.id
        if "currency" in needed:
            values["currency"] = currency.name
        if "warehouse" in needed:
            values["warehouse"] = warehouse.id
        if "team" in needed:
            values["team"] = team.id
        if "partner_categories" in needed:
            values["partner_categories"] = self._dist_ancestor_ids(
                partner.category_id | commercial.category_id
            )
        if "product_categories" in needed:
            values["product_categories"] = self._dist_ancestor_ids(lines.product_id.categ_id)
        if "discount" in needed:
            values["discount"] = max(lines.mapped("discount") or [0.0])
        return values

    @api.model
    def _dist_overdue(self, partners_by_record, company_by_record):
        """{record id: {'days', 'amount'}}: the customer's open invoices past due.

        One grouped query per company, whatever the number of records.
        """
        today = fields.Date.context_today(self)
        by_company = defaultdict(set)
        for rid, company in company_by_record.items():
            by_company[company].add(partners_by_record[rid].id)
        overdue = {}
        Move = self.env["account.move"].sudo()
        for company, partner_ids in by_company.items():
            for partner, oldest, amount in Move._read_group(
                [
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "in", list(partner_ids)),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", today),
                ],
                ["commercial_partner_id"],
                ["invoice_date_due:min", "amount_residual_signed:sum"],
            ):
                overdue[company, partner.id] = {"days": (today - oldest).days, "amount": amount}
        return {
            rid: overdue.get((company_by_record[rid], partner.id), {"days": 0, "amount": 0.0})
            for rid, partner in partners_by_record.items()
        }

    @api.model
    def _dist_overdue_words(self, overdue, currency):
        """Overdue invoices as people read them; "None" when there are none."""
        if not overdue.get("amount") and not overdue.get("days"):
            return self.env._("None")
        return self.env._(
            "%(amount)s, oldest %(days)s days past due",
            amount=self._dist_format_money(overdue["amount"], currency),
            days=overdue["days"],
        )

    @api.model
    def _dist_credit(self, partner, company, document_amount):
        """Odoo's own credit check: receivable + to invoice + this document > limit.

        Without a credit limit (or with the company's credit check off) there
        is nothing to measure: the facts say so (``measured`` False) instead
        of reporting zeros that were never read.
        """
        partner = partner.with_company(company).sudo()
        limit = partner.credit_limit if company.account_use_credit_limit else 0.0
        if not limit:
            return {"measured": False, "limit": 0.0, "document": document_amount, "exceeded": False}
        receivable = partner.credit
        to_invoice = partner.credit_to_invoice
        total = receivable + to_invoice + document_amount
        return {
            "measured": True,
            "limit": limit,
            "receivable": receivable,
            "to_invoice": to_invoice,
            "document": document_amount,
            "total": total,
            "exceeded": total > limit,
        }
