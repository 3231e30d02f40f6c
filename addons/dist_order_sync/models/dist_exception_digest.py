# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .dist_exception import OPEN_STATES


class DistExceptionDigest(models.AbstractModel):
    """The daily e-mail telling each owner what waits in their queue."""

    _name = "dist.exception.digest"
    _description = "Exception Digest"

    @api.model
    def _cron_dist_digest(self):
        """E-mail each owner the list of their open exceptions (companies
        that enabled the digest)."""
        companies = self.env["res.company"].sudo().search([("dist_exception_digest", "=", True)])
        if not companies:
            return True
        groups = (
            self.env["dist.exception"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("state", "in", OPEN_STATES),
                    ("user_id", "!=", False),
                ],
                ["user_id"],
                ["id:array_agg"],
            )
        )
        mails = []
        for user, ids in groups:
            if not user.email:
                continue
            exceptions = (
                self.env["dist.exception"]
                .sudo()
                .browse(ids)
                .sorted(lambda e: (e.exception_type, e.detected_on))
            )
            body = self.env["ir.qweb"]._render(
                "dist_order_sync.dist_exception_digest",
                {"user": user, "exceptions": exceptions},
                lang=user.lang,
            )
            mails.append(
                {
                    "subject": self.with_context(lang=user.lang).env._(
                        "%(count)s open exceptions", count=len(exceptions)
                    ),
                    "body_html": body,
                    "email_to": user.email_formatted,
                    "author_id": self.env.ref("base.partner_root").id,
                    "auto_delete": True,
                }
            )
        self.env["mail.mail"].sudo().create(mails)
        return True
