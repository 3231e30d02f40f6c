from . import test_billing_delivery
from . import test_billing_failure
from . import test_billing_consolidated
from . import test_exceptions
