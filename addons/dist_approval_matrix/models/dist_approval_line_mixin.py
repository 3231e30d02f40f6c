# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError


class DistApprovalLineMixin(models.AbstractModel):
    """Lines of a document held by the matrix.

    Changing them rechecks the facts of a document waiting for approval, and
    goes through the matrix on a running document (a confirmed order): the
    change passes when no rule needs a new approval, else it is refused with
    the way to send the same change, expressed on the document, for approval.
    """

    _name = "dist.approval.line.mixin"
    _description = "Approval Matrix Document Line"
    _dist_approval_document_field = None
    _dist_approval_line_watched_fields = frozenset()
    _dist_approval_quantity_field = None
    # What makes a line bookkeeping (see ``_dist_approval_exempt_vals``):
    # Odoo sets it when it creates the line, never afterwards.
    _dist_approval_exempt_fields = frozenset({"display_type"})

    def _dist_approval_documents(self):
        return self.mapped(self._dist_approval_document_field)

    def _dist_approval_exempt(self):
        """Lines whose changes are bookkeeping, not a change of the deal."""
        return self.filtered(self._dist_approval_exempt_vals)

    @api.model
    def _dist_approval_exempt_vals(self, values):
        """Whether a line with these values (a dict or a line) is bookkeeping:
        a section or a note, and what the document type adds (down payments,
        delivery costs)."""
        return bool(values["display_type"] if "display_type" in values else False)

    def _dist_approval_describe(self):
        """{line id: words}: each line but bookkeeping, as approvers read it."""
        return {
            line.id: self.env._(
                "%(qty)s %(uom)s %(product)s at %(price)s, discount %(discount)s%%",
                qty=line[self._dist_approval_quantity_field],
                uom=line.product_uom_id.name,
                product=line.product_id.display_name,
                price=line.price_unit,
                discount=line.discount,
            )
            for line in self - self._dist_approval_exempt()
        }

    @api.model
    def _dist_approval_recorded_vals(self, vals):
        """Whether a new line only records goods the warehouse already moved
        (Odoo adds one, ordering nothing, when a transfer of the document
        validates a product it did not order): never refused, or the
        validation would be rolled back."""
        return vals.get(self._dist_approval_quantity_field, False) == 0 and bool(
            vals.get("move_ids")
        )

    def _dist_check_stays_in_sight(self, vals):
        """A line of a running document neither moves to another document nor
        becomes bookkeeping (both would take it out of the matrix's sight),
        and no line moves into a running document."""
        field = self._dist_approval_document_field
        names = ({field} | self._dist_approval_exempt_fields).intersection(vals)
        if not names:
            return

        def changes(line):
            for name in names:
                current = line[name]
                if isinstance(current, models.BaseModel):
                    current = current.id
                if (current or False) != (vals[name] or False):
                    return True
            return False

        moved = self.filtered(changes)
        documents = moved._dist_approval_documents()
        if moved and vals.get(field):
            documents |= self.env[self._fields[field].comodel_name].browse(vals[field])
        running = documents._dist_changes_controlled()
        if running:
            raise UserError(
                self.env._(
                    "%(documents)s: the lines of a confirmed document stay on it as they "
                    "are ordered; change their quantities or prices, add or remove "
                    "lines instead.",
                    documents=", ".join(running.mapped("display_name")),
                )
            )

    def _dist_controlled(self):
        """(lines, documents) of self whose changes the matrix controls."""
        lines = self - self._dist_approval_exempt()
        documents = lines._dist_approval_documents()._dist_changes_controlled()
        lines = lines.filtered(lambda line: line[self._dist_approval_document_field] in documents)
        return lines, documents

    def _dist_control(self, documents, apply, commands):
        """Run ``apply`` under the matrix; ``commands`` per document express the
        same change as a write of the document's lines."""
        one2many = documents._dist_approval_lines_field
        return self.env["dist.approval.change"]._dist_control(
            documents,
            apply,
            {document: {one2many: cmds} for document, cmds in commands.items()},
        )

    @api.model_create_multi
    def create(self, vals_list):
        field = self._dist_approval_document_field
        Document = self.env[self._fields[field].comodel_name]
        commands = defaultdict(list)
        for vals in vals_list:
            if (
                vals.get(field)
                and not self._dist_approval_exempt_vals(vals)
                and not self._dist_approval_recorded_vals(vals)
            ):
                line_vals = {k: v for k, v in vals.items() if k != field}
                commands[Document.browse(vals[field])].append(fields.Command.create(line_vals))
        controlled = Document.union(*commands)._dist_changes_controlled()
        if controlled:
            return self._dist_control(
                controlled,
                lambda: super(DistApprovalLineMixin, self).create(vals_list),
                {document: commands[document] for document in controlled},
            )
        lines = super().create(vals_list)
        lines._dist_approval_documents()._dist_approval_recheck()
        return lines

    def write(self, vals):
        self._dist_check_stays_in_sight(vals)
        if not self._dist_approval_line_watched_fields.intersection(vals):
            return super().write(vals)
        lines, documents = self._dist_controlled()
        if documents:
            return self._dist_control(
                documents,
                lambda: super(DistApprovalLineMixin, self).write(vals),
                {
                    document: [
                        fields.Command.update(line.id, vals)
                        for line in lines
                        if line[self._dist_approval_document_field] == document
                    ]
                    for document in documents
                },
            )
        res = super().write(vals)
        self._dist_approval_documents()._dist_approval_recheck()
        return res

    def unlink(self):
        lines, controlled = self._dist_controlled()
        documents = self._dist_approval_documents()
        if controlled:
            return self._dist_control(
                controlled,
                lambda: super(DistApprovalLineMixin, self).unlink(),
                {
                    document: [
                        fields.Command.delete(line.id)
                        for line in lines
                        if line[self._dist_approval_document_field] == document
                    ]
                    for document in controlled
                },
            )
        res = super().unlink()
        documents.exists()._dist_approval_recheck()
        return res
