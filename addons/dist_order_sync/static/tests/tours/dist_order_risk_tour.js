import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("dist_order_risk_salesman_replenishes", {
    steps: () => [
        {
            content: "The order at risk says why, in the list",
            trigger:
                ".o_list_view .o_data_row:contains('Gearbox G7: 7 short, no receipt planned') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "and on the order",
            trigger: "div[name='dist_risk_alert']:contains('ordered now from Acme')",
        },
        {
            content: "Its exceptions",
            trigger: ".o_form_view .oe_stat_button[name='action_dist_view_exceptions']",
            run: "click",
        },
        {
            content: "The shortage",
            trigger: ".o_kanban_record:contains('Shortage')",
            run: "click",
        },
        {
            content: "The salesman asks for the missing quantity",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_dist_replenish']",
            run: "click",
        },
        {
            content: "and confirms",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The exception shows what comes",
            trigger: ".o_form_view .o_field_widget[name='dist_incoming']:contains('Gearbox G7')",
        },
    ],
});
