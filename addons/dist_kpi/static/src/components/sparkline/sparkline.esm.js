import { Component } from "@odoo/owl";

/**
 * A trend line of a few values, drawn in SVG, scaled to its own range.
 */
export class Sparkline extends Component {
    static template = "dist_kpi.Sparkline";
    static props = {
        values: { type: Array },
        width: { type: Number, optional: true },
        height: { type: Number, optional: true },
    };
    static defaultProps = { width: 120, height: 28 };

    get points() {
        const values = this.props.values;
        const { width, height } = this.props;
        if (values.length < 2) {
            return "";
        }
        const min = Math.min(...values);
        const max = Math.max(...values);
        const range = max - min || 1;
        const step = width / (values.length - 1);
        return values
            .map((value, index) => {
                const x = index * step;
                const y = height - 2 - ((value - min) / range) * (height - 4);
                return `${x.toFixed(1)},${y.toFixed(1)}`;
            })
            .join(" ");
    }
}
