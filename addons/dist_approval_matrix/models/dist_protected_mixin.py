# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError


class _SystemMarker:
    """Context marker: the suite's own code writes the protected fields.

    RPC clients and imports can only put JSON in a context, never this
    object, so the marker cannot be forged from outside.
    """

    __slots__ = ()

    def __repr__(self):
        return "<dist system write>"


_SYSTEM = _SystemMarker()
_SYSTEM_KEY = "dist_system_write"


class DistProtectedMixin(models.AbstractModel):
    """Fields the suite derives: only its own code paths write them.

    A model lists them in ``_dist_protected_field_names``; a create or write
    naming one of them outside ``_dist_as_system()`` is refused with a
    message saying what to do instead (``_dist_protected_error``).
    """

    _name = "dist.protected.mixin"
    _description = "Fields Set by the Suite"

    def _dist_protected_field_names(self):
        return set()

    def _dist_as_system(self):
        """Self in an environment where the protected fields may be written."""
        return self.with_context(**{_SYSTEM_KEY: _SYSTEM})

    def _dist_is_system(self):
        return self.env.context.get(_SYSTEM_KEY) is _SYSTEM

    def _dist_may_write_protected(self):
        return self._dist_is_system()

    def _dist_protected_error(self, field_names):
        labels = ", ".join(
            self._fields[name]._description_string(self.env) for name in sorted(field_names)
        )
        return UserError(
            self.env._(
                "%(fields)s of %(model)s are set by Distribution Control itself and "
                "cannot be changed by hand, an import or an API call; use the "
                "document's buttons instead.",
                fields=labels,
                model=self._description,
            )
        )

    def _dist_check_protected(self, vals):
        touched = self._dist_protected_field_names().intersection(vals)
        if touched and not self._dist_may_write_protected():
            raise self._dist_protected_error(touched)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._dist_check_protected(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._dist_check_protected(vals)
        return super().write(vals)
