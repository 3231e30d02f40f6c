import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// Data comes from the Python test: a quotation for "Tour Customer" with a
// 20 % discount, and a rule holding discounts above 15 %.
registry.category("web_tour.tours").add("dist_approval_salesman_tour", {
    url: "/odoo/sales",
    steps: () => [
        {
            content: "Open the quotation of Tour Customer",
            trigger: '.o_data_row:contains("Tour Customer") td.o_data_cell:eq(1)',
            run: "click",
        },
        {
            content: "Confirm it",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_confirm"]:visible',
            run: "click",
        },
        {
            content: "The order waits for approval, with the reason",
            trigger: '.o_form_view .alert:contains("Waiting for approval"):contains("Line discount 20% exceeds 15%")',
        },
        {
            content: "It is still a quotation",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Quotation")',
        },
        {
            content: "Confirm is gone while approval is pending",
            trigger: '.o_form_view .o_statusbar_buttons:not(:has(button[name="action_confirm"]))',
        },
    ],
});

registry.category("web_tour.tours").add("dist_approval_approver_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("dist_approval_matrix.menu_dist_root", "Open Distribution"),
        {
            content: "My Approvals opens first",
            trigger: '.o_breadcrumb:contains("My Approvals")',
        },
        {
            content: "Open the request",
            trigger: '.o_data_row:contains("Line discount 20% exceeds 15%") td.o_data_cell:eq(1)',
            run: "click",
        },
        {
            content: "The facts are shown",
            trigger: '.o_form_view .o_notebook:contains("Highest line discount")',
        },
        {
            content: "Approve",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_approve"]',
            run: "click",
        },
        {
            content: "The request is approved",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Approved")',
        },
    ],
});
