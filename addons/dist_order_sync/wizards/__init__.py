from . import dist_exception_dismiss
from . import dist_delivery_issue
