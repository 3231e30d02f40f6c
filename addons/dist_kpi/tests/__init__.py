from . import test_fulfilment
