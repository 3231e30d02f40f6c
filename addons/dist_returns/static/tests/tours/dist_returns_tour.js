import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";

registry.category("web_tour.tours").add("dist_returns_ticket_to_return", {
    steps: () => [
        {
            content: "The helpdesk user opens the customer's ticket and creates a return",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_dist_create_return']",
            run: "click",
        },
        {
            content: "The return is of an order of the customer",
            trigger: ".modal .o_field_widget[name='sale_order_id'] input",
            run: "edit S0",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('S0')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='sale_order_id'] input:value(S0)",
        },
        {
            trigger: ".modal-footer button[name='action_create']",
            run: "click",
        },
        {
            content: "Its line comes from the delivery: 10 delivered, all returnable",
            trigger: ".o_form_view .o_field_widget[name='line_ids'] .o_data_row td[name='quantity_returnable']:contains('10')",
        },
        {
            content: "Two of them come back",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row td[name='quantity']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='quantity'] input",
            run: "edit 2",
        },
        {
            content: "because they arrived damaged",
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='reason_id'] input",
            run: "edit Tour: damaged",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour: damaged')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='line_ids'] .o_data_row .o_field_widget[name='reason_id'] input:value(Tour: damaged)",
        },
        {
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The customer's photo goes on the return",
            trigger: ".o_form_view .o_form_saved .o_field_widget[name='name']:contains('RMA/')",
            async run() {
                const photo = new File(
                    [
                        await (
                            await fetch(
                                "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVQIW2P4v5ThPwAG7wKklwQ/bwAAAABJRU5ErkJggg=="
                            )
                        ).blob(),
                    ],
                    "photo.png",
                    { type: "image/png" }
                );
                await inputFiles(".o-mail-Chatter .o_input_file", [photo]);
            },
        },
        {
            trigger: ".o-mail-Chatter .o-mail-AttachmentContainer[title='photo.png']:not(.o-isUploading)",
        },
        {
            content: "Submitted: the matrix asks an approver",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_submit']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('To Approve')",
        },
    ],
});

registry.category("web_tour.tours").add("dist_returns_ticket_shows_credit", {
    steps: () => [
        {
            content: "Back on the ticket, the return is there",
            trigger: ".o_form_view .oe_stat_button[name='action_dist_view_returns']:contains('1')",
        },
        {
            trigger: ".o_form_view .o_notebook .nav-link:contains('Orders & Returns')",
            run: "click",
        },
        {
            content: "done, with its credit note",
            trigger: ".o_field_widget[name='dist_return_ids'] .o_data_row:contains('Done') td[name='credit_note_summary']:contains('Posted')",
        },
        {
            content: "and the customer's photo",
            trigger: ".o_field_widget[name='dist_return_attachment_ids']:contains('photo.png')",
        },
        {
            content: "The ticket moved on with its return",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Tour: settled')",
        },
    ],
});
