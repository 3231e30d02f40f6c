from . import test_smoke_tour
from . import test_sale_approval
from . import test_other_documents
from . import test_rule_config
from . import test_approval_tour
from . import test_rpc_bypass
