from . import test_billing_delivery
from . import test_billing_failure
from . import test_billing_consolidated
from . import test_concurrency
from . import test_exceptions
from . import test_order_stage
from . import test_multi_company
from . import test_tour
