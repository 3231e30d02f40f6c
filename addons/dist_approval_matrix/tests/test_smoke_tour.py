# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSmokeTour(HttpCase):
    def test_admin_opens_distribution_menu(self):
        self.start_tour("/odoo", "dist_smoke_tour", login="admin")
