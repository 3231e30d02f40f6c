import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("dist_smoke_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "dist_approval_matrix.menu_dist_root",
            "Open the Distribution app"
        ),
        {
            content: "The Distribution menu bar is shown",
            trigger: '.o_main_navbar .o_menu_brand:contains("Distribution")',
        },
        {
            content: "Its Configuration menu is there",
            trigger: '.o_menu_sections button:contains("Configuration")',
            run: "click",
        },
        {
            trigger: '.o-dropdown-item:contains("Approval Matrix")',
            run: "click",
        },
        {
            trigger: '.o_breadcrumb:contains("Approval Matrix")',
        },
    ],
});
