from . import dist_exception_age_report
