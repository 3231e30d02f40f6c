from . import test_smoke_tour
