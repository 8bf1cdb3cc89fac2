/** Small numeric helpers for the bench: medians, spreads and fixed-width formatting. */

export interface Spread {
  median: number;
  min: number;
  max: number;
  samples: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function spread(values: readonly number[]): Spread {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    samples: values.length,
  };
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

/** A number with `digits` significant decimals, without trailing noise. */
export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toPrecision(2);
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function usd(value: number): string {
  return `$${value < 0.001 && value > 0 ? value.toPrecision(2) : value.toFixed(4)}`;
}

/** A plain-text table: first row is the header; numbers right-aligned. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r.map((cell, c) =>
      /^[-$\d.,x%]/.test(cell) && c > 0 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!),
    );
  const [head, ...body] = rows;
  return [
    line(head!).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map((r) => line(r).join('  ')),
  ]
    .map((l) => l.trimEnd())
    .join('\n');
}

/** The same table as GitHub markdown. */
export function mdTable(rows: readonly (readonly string[])[]): string {
  const [head, ...body] = rows;
  const align = head!.map((_, c) =>
    c > 0 && body.every((r) => /^[-$\d.,x%]/.test(r[c] ?? '')) ? '---:' : '---',
  );
  return [head!, align, ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
