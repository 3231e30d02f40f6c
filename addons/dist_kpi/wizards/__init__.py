from . import dist_kpi_backfill
