from . import (
    test_billing_consolidated,
    test_billing_delivery,
    test_billing_failure,
    test_concurrency,
    test_exceptions,
    test_multi_company,
    test_order_notifications,
    test_order_risk,
    test_order_risk_queries,
    test_order_stage,
    test_replenishment,
    test_tour,
)
