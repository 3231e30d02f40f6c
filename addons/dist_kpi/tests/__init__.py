from . import test_dashboard
from . import test_fulfilment
from . import test_snapshots
from . import test_query_count
from . import test_tour
