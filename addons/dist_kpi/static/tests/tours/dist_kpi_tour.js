import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("dist_kpi_dashboard_tour", {
    steps: () => [
        {
            content: "The control tower shows the OTIF tile of the last 30 days",
            trigger: ".o_dist_kpi_tiles[data-loaded='1'][data-period='last_30'] .o_dist_kpi_tile[data-code='otif'] .o_dist_kpi_value:contains('0')",
        },
        {
            content: "The manager looks at the last 7 days",
            trigger: "select.o_dist_kpi_period",
            run: "select last_7",
        },
        {
            content: "The tiles are those of the new period",
            trigger: ".o_dist_kpi_tiles[data-loaded='1'][data-period='last_7'] .o_dist_kpi_tile[data-code='otif'] .o_dist_kpi_status_red_badge",
        },
        {
            content: "switches to the operations view",
            trigger: ".o_dist_kpi_roles button[data-role='operations']",
            run: "click",
        },
        {
            content: "which has no approval tile",
            trigger: ".o_dist_kpi_roles button[data-role='operations'].active",
        },
        {
            trigger: ".o_dist_kpi_tiles[data-loaded='1']:not(:has(.o_dist_kpi_tile[data-code='approval_pending']))",
        },
        {
            content: "and opens the orders that failed OTIF",
            trigger: ".o_dist_kpi_tile[data-code='otif'] .o_dist_kpi_open:contains('1')",
            run: "click",
        },
        {
            content: "The late line is listed, with why",
            trigger: ".o_list_view .o_data_row:contains('Tour Customer'):contains('Late')",
        },
        {
            content: "under the tile's name",
            trigger: ".o_breadcrumb:contains('OTIF')",
        },
    ],
});
