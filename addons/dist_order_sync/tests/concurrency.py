# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two transactions at the same moment, on committed data.

The cases built on this open their own cursors, as two HTTP workers (or a
worker and the cron) would; they commit their data and remove it
afterwards, hence the tag ``dist_concurrency`` (run in a step of their own).
"""

import threading
from contextlib import closing

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import TransactionCase


class DistConcurrencyCase(TransactionCase):
    @staticmethod
    def _dist_stocked_product(env, name):
        """A storable product invoiced on delivery, untaxed, 100 units in
        the main company's stock (``env``: a committing cursor's)."""
        company = env.ref("base.main_company")
        warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        product = env["product.product"].create(
            {
                "name": name,
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "delivery",
                "list_price": 10.0,
                "taxes_id": [Command.clear()],
            }
        )
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 100)
        return product

    def _dist_in_transaction(self, action, record_id, done=None, hold=None, attempts=None):
        """Run ``action(env, record_id)`` in a transaction of its own, retried
        on serialization failures as Odoo's HTTP layer does. ``done`` is set
        once it has run; the transaction then stays open until ``hold`` is
        set. Each attempt is appended to ``attempts``."""
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})

            def attempt():
                if attempts is not None:
                    attempts.append(record_id)
                action(env, record_id)
                env.flush_all()
                if done:
                    done.set()
                if hold:
                    hold.wait(timeout=10)

            retrying(attempt, env)

    def _dist_race(self, action, first, second):
        """Run ``action`` on ``first`` and, while its transaction is still
        open, on ``second``. Return the errors raised, the attempts of the
        second run and whether the second run was still waiting when the first
        let go."""
        errors, attempts = [], []

        def run(*args, **kwargs):
            try:
                self._dist_in_transaction(action, *args, **kwargs)
            except Exception as error:  # the test asserts on them
                errors.append(error)

        first_done, release_first = threading.Event(), threading.Event()
        thread_1 = threading.Thread(
            target=run, args=(first,), kwargs={"done": first_done, "hold": release_first}
        )
        thread_1.start()
        self.assertTrue(first_done.wait(timeout=30), "the first transaction ran")
        thread_2 = threading.Thread(target=run, args=(second,), kwargs={"attempts": attempts})
        thread_2.start()
        thread_2.join(timeout=1)
        waited = thread_2.is_alive()
        release_first.set()
        thread_1.join(timeout=60)
        thread_2.join(timeout=60)
        return errors, attempts, waited
