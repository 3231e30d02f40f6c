# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .common import ApprovalMatrixCase


@tagged("post_install", "-at_install")
class TestRpcBypass(ApprovalMatrixCase, HttpCase):
    """A salesman logged in to the web client tries every way around the gate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_rule(name="Discount above 10%", discount_above=10)
        cls.order = cls.make_order(
            lines=[{"product_id": cls.product.id, "product_uom_qty": 1, "discount": 40}]
        ).with_user(cls.env.user)

    def call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_salesman_rpc_cannot_skip_approval(self):
        self.authenticate(self.salesman.login, self.salesman.login)
        order_id = self.order.id
        attempts = [
            ("sale.order", "write", [[order_id], {"state": "sale"}], {}),
            ("sale.order", "write", [[order_id], {"approval_state": "approved"}], {}),
            ("sale.order", "_dist_with_gate", [[order_id]], {}),
            ("sale.order", "_action_confirm", [[order_id]], {}),
        ]
        for model, method, args, kwargs in attempts:
            with self.subTest(method=method, args=args), self.assertRaises(JsonRpcException):
                self.call(model, method, args, kwargs)

        # A forged context cannot carry the gate's marker: the order is held.
        result = self.call(
            "sale.order",
            "action_confirm",
            [[order_id]],
            {"context": {"dist_approval_gate": True}},
        )
        self.assertEqual(result["tag"], "display_notification")
        self.order.invalidate_recordset()
        self.assertEqual((self.order.state, self.order.approval_state), ("draft", "pending"))

        request = self.order.approval_request_ids
        for method, args in (
            ("action_approve", [request.ids]),
            ("action_override", [request.ids, "I say so"]),
            ("write", [request.ids, {"state": "approved"}]),
            ("unlink", [request.ids]),
        ):
            with self.subTest(method=method), self.assertRaises(JsonRpcException):
                self.call("dist.approval.request", method, args)
        request.invalidate_recordset()
        self.assertEqual(request.state, "pending")
        self.order.invalidate_recordset()
        self.assertEqual(self.order.state, "draft")

    def test_salesman_rpc_cannot_change_a_confirmed_order_past_the_matrix(self):
        order = self.order.copy()
        order.order_line.discount = 5
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.authenticate(self.salesman.login, self.salesman.login)
        line_id = order.order_line.id
        attempts = [
            ("sale.order.line", "write", [[line_id], {"discount": 70}]),
            (
                "sale.order",
                "write",
                [[order.id], {"order_line": [[0, 0, {"product_id": order.order_line.product_id.id,
                                                       "product_uom_qty": 50, "discount": 60}]]}],
            ),
            ("sale.order", "write", [[order.id], {"order_line": [[1, line_id, {"discount": 70}]]}]),
        ]  # fmt: skip
        for model, method, args in attempts:
            with self.subTest(model=model, args=args), self.assertRaises(JsonRpcException) as err:
                self.call(model, method, args)
            # The refusal of the matrix, with its way to send the change for approval.
            self.assertEqual(str(err.exception), "odoo.exceptions.RedirectWarning")
        order.invalidate_recordset()
        self.assertEqual(order.order_line.discount, 5)
        self.assertEqual(len(order.order_line), 1)
        # The API way: the change is held for the approvers.
        self.call(
            "sale.order",
            "action_dist_request_change",
            [[order.id], {"order_line": [[1, line_id, {"discount": 70}]]}],
        )
        order.invalidate_recordset()
        self.assertEqual((order.order_line.discount, order.approval_state), (5, "pending"))
