import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("dist_order_sync_warehouse_validates", {
    steps: () => [
        {
            content: "The delivery is ready",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Ready')",
        },
        {
            content: "The warehouse user validates it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='button_validate']",
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
        {
            content: "and to bill: the billing cron, woken at once, invoices it",
            trigger: ".o_form_view .o_field_widget[name='dist_billing_state']:contains('To Bill')",
        },
    ],
});

registry.category("web_tour.tours").add("dist_order_sync_salesman_sees_invoiced", {
    steps: () => [
        {
            content: "The salesman reads one status on the order",
            trigger: ".o_form_view .o_field_widget[name='dist_order_stage']:contains('Invoiced')",
        },
        {
            content: "and its invoice",
            trigger: ".o_form_view .oe_stat_button[name='action_view_invoice']:contains('1')",
        },
        {
            content: "The orders list shows the same status",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li:first-child a",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row .o_field_widget[name='dist_order_stage']:contains('Invoiced')",
        },
    ],
});
