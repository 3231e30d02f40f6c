import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";
import { Sparkline } from "../sparkline/sparkline.esm";

/**
 * One KPI: its value against the target (coloured by status), the change
 * against the comparison period, the trend of its snapshots and the count
 * of the records behind it, which opens them.
 */
export class KpiTile extends Component {
    static template = "dist_kpi.KpiTile";
    static components = { Sparkline };
    static props = {
        tile: { type: Object },
        definition: { type: Object, optional: true },
        currencyId: { type: [Number, Boolean], optional: true },
        onOpen: { type: Function },
    };

    format(value) {
        if (value === null || value === undefined) {
            return "–";
        }
        switch (this.props.tile.unit) {
            case "percent":
                return `${formatFloat(value, { digits: [16, 1] })} %`;
            case "hours":
                return value >= 48
                    ? _t("%(days)s d", { days: formatFloat(value / 24, { digits: [16, 1] }) })
                    : _t("%(hours)s h", { hours: formatFloat(value, { digits: [16, 1] }) });
            case "amount":
                return formatMonetary(value, {
                    currencyId: this.props.currencyId,
                    digits: [16, 0],
                });
            default:
                return formatFloat(value, { digits: [16, 0] });
        }
    }

    get delta() {
        const { value, previous } = this.props.tile;
        if (value === null || previous === null || previous === undefined) {
            return null;
        }
        const change = value - previous;
        const direction = this.props.definition?.direction || "higher";
        const better = direction === "higher" ? change > 0 : change < 0;
        const unit = this.props.tile.unit;
        const magnitude = Math.abs(change);
        let text;
        if (unit === "percent") {
            text = _t("%(points)s pts", { points: formatFloat(magnitude, { digits: [16, 1] }) });
        } else {
            text = this.format(magnitude);
        }
        return {
            arrow: change > 0 ? "fa-caret-up" : change < 0 ? "fa-caret-down" : "fa-minus",
            text,
            tone: change === 0 ? "text-muted" : better ? "text-success" : "text-danger",
        };
    }

    get statusClass() {
        return `o_dist_kpi_status_${this.props.tile.status}`;
    }

    get statusLabel() {
        return {
            green: _t("On target"),
            amber: _t("Watch"),
            red: _t("Off target"),
        }[this.props.tile.status];
    }

    get countLabel() {
        return this.props.definition?.count_label || _t("records");
    }
}
