import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { serializeDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { KeepLast } from "@web/core/utils/concurrency";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { KpiTile } from "../kpi_tile/kpi_tile.esm";

const { DateTime } = luxon;

/** Period presets: [from, to] as luxon dates, relative to today. */
export const PERIODS = {
    today: (today) => [today, today],
    last_7: (today) => [today.minus({ days: 6 }), today],
    last_30: (today) => [today.minus({ days: 29 }), today],
    this_month: (today) => [today.startOf("month"), today],
    last_month: (today) => {
        const start = today.minus({ months: 1 }).startOf("month");
        return [start, start.endOf("month").startOf("day")];
    },
    this_quarter: (today) => [today.startOf("quarter"), today],
    last_90: (today) => [today.minus({ days: 89 }), today],
    this_year: (today) => [today.startOf("year"), today],
    last_12_months: (today) => [today.minus({ months: 12 }).plus({ days: 1 }), today],
};

/**
 * The control tower: every KPI tile for the chosen period and filters, from
 * one call of dist.kpi.get_dashboard; a tile opens the records behind it.
 */
export class DistKpiDashboard extends Component {
    static template = "dist_kpi.Dashboard";
    static components = { Layout, KpiTile };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.keepLast = new KeepLast();
        this.periodLabels = {
            today: _t("Today"),
            last_7: _t("Last 7 days"),
            last_30: _t("Last 30 days"),
            this_month: _t("This month"),
            last_month: _t("Last month"),
            this_quarter: _t("This quarter"),
            last_90: _t("Last 90 days"),
            this_year: _t("This year"),
            last_12_months: _t("Last 12 months"),
            custom: _t("Custom"),
        };
        this.roles = [
            ["", _t("All")],
            ["operations", _t("Operations")],
            ["approvals", _t("Approvals")],
            ["finance", _t("Finance")],
        ];
        const saved = this.props.state?.filters;
        this.state = useState({
            filters: saved || this.defaultFilters(),
            tiles: [],
            loading: true,
            options: { companies: [], warehouses: [], teams: [], categories: [] },
            definitions: {},
        });
        useSetupAction({
            getLocalState: () => ({ filters: this.state.filters }),
        });
        onWillStart(async () => {
            await Promise.all([this.loadOptions(), this.load()]);
        });
    }

    defaultFilters() {
        const [from, to] = PERIODS.last_30(DateTime.local().startOf("day"));
        return {
            period: "last_30",
            dateFrom: serializeDate(from),
            dateTo: serializeDate(to),
            compare: "previous",
            role: "",
            companyId: "",
            warehouseId: "",
            teamId: "",
            categoryId: "",
        };
    }

    get display() {
        return { controlPanel: {} };
    }

    get currencyId() {
        return user.activeCompany?.currency_id || false;
    }

    get serverFilters() {
        const f = this.state.filters;
        const ids = (value) => (value ? [parseInt(value)] : []);
        return {
            date_from: f.dateFrom,
            date_to: f.dateTo,
            compare: f.compare || false,
            role: f.role || false,
            company_ids: ids(f.companyId),
            warehouse_ids: ids(f.warehouseId),
            team_ids: ids(f.teamId),
            category_ids: ids(f.categoryId),
        };
    }

    async loadOptions() {
        const companies = user.activeCompanies.map((c) => [c.id, c.name]);
        const read = async (model, fields, domain = []) => {
            try {
                return await this.orm.searchRead(model, domain, fields);
            } catch {
                return [];
            }
        };
        const companyIds = user.activeCompanies.map((c) => c.id);
        const [warehouses, teams, categories, definitions] = await Promise.all([
            read("stock.warehouse", ["display_name"], [["company_id", "in", companyIds]]),
            read("crm.team", ["display_name"]),
            read("res.partner.category", ["display_name"]),
            read("dist.kpi", ["code", "direction", "description", "count_label"]),
        ]);
        const pairs = (records) => records.map((r) => [r.id, r.display_name]);
        Object.assign(this.state.options, {
            companies,
            warehouses: pairs(warehouses),
            teams: pairs(teams),
            categories: pairs(categories),
        });
        this.state.definitions = Object.fromEntries(definitions.map((d) => [d.code, d]));
    }

    async load() {
        this.state.loading = true;
        const result = await this.keepLast.add(
            this.orm.call("dist.kpi", "get_dashboard", [this.serverFilters])
        );
        this.state.tiles = result.tiles;
        this.state.loading = false;
    }

    setFilter(key, value) {
        this.state.filters[key] = value;
        this.load();
    }

    setPeriod(period) {
        const filters = this.state.filters;
        filters.period = period;
        if (period !== "custom") {
            const [from, to] = PERIODS[period](DateTime.local().startOf("day"));
            filters.dateFrom = serializeDate(from);
            filters.dateTo = serializeDate(to);
        }
        this.load();
    }

    setDate(key, value) {
        if (!value) {
            return;
        }
        this.state.filters.period = "custom";
        this.state.filters[key] = value;
        this.load();
    }

    async openTile(tile) {
        const action = await this.orm.call("dist.kpi", "action_drilldown", [
            tile.code,
            this.serverFilters,
        ]);
        await this.action.doAction(action);
    }
}

registry.category("actions").add("dist_kpi.dashboard", DistKpiDashboard);
