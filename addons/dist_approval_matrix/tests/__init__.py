from . import test_smoke_tour
from . import test_sale_approval
