export interface RateSeries {
  name: string;
  /** One value per step, oldest first. */
  values: readonly number[];
  /** CSS class giving the line its colour. */
  className: string;
}

const HEIGHT = 150;
const PAD = { top: 10, right: 8, bottom: 20, left: 34 };

function pathOf(values: readonly number[], max: number, width: number): string {
  const innerW = width - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const step = values.length > 1 ? innerW / (values.length - 1) : 0;
  return values
    .map((value, index) => `${index === 0 ? 'M' : 'L'}${(PAD.left + index * step).toFixed(1)},${(PAD.top + innerH - (value / max) * innerH).toFixed(1)}`)
    .join(' ');
}

/**
 * A small line chart of rates per step, hand-drawn in SVG. Its accessible name says what it
 * shows and the latest values, so the figures are not in the picture only.
 */
/** What a line counted over the whole span, e.g. the jobs accepted in the last 5 min. */
function total(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0);
}

export function RateChart({
  label,
  series,
  spanLabel,
  width = 1000,
}: {
  label: string;
  series: readonly RateSeries[];
  spanLabel: string;
  /** Width of the drawing in its own units: the chart keeps this aspect (150 high) at any size. */
  width?: number;
}) {
  const WIDTH = width;
  const peak = Math.max(0, ...series.flatMap((line) => line.values));
  // An even top, so the middle grid line is a whole number too.
  const max = Math.max(2, Math.ceil(peak / 2) * 2);
  const latest = series.map((line) => `${line.name} ${line.values[line.values.length - 1] ?? 0}/s`).join(', ');
  const totals = series.map((line) => `${line.name} ${total(line.values)}`).join(', ');
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  return (
    <figure className="rate-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`${label}: now ${latest}; peak ${peak}/s, total ${totals} over ${spanLabel}`}>
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line className="grid-line" x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + innerH * (1 - fraction)} y2={PAD.top + innerH * (1 - fraction)} />
            <text className="axis-label" x={PAD.left - 6} y={PAD.top + innerH * (1 - fraction) + 4} textAnchor="end">
              {Math.round(max * fraction)}
            </text>
          </g>
        ))}
        <text className="axis-label" x={PAD.left} y={HEIGHT - 4}>
          {spanLabel} ago
        </text>
        <text className="axis-label" x={WIDTH - PAD.right} y={HEIGHT - 4} textAnchor="end">
          now
        </text>
        {series.map((line) => (
          <path key={line.name} className={`chart-line ${line.className}`} d={pathOf(line.values, max, WIDTH)} />
        ))}
      </svg>
      <figcaption className="chart-legend">
        {series.map((line) => (
          <span key={line.name} className="legend-item">
            <span className={`legend-swatch ${line.className}`} aria-hidden="true" />
            {line.name} <strong>{line.values[line.values.length - 1] ?? 0}/s</strong>
            <span className="legend-total">
              {' '}
              · {total(line.values)} in {spanLabel}
            </span>
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
