/**
 * Colour contrast (WCAG 2.x): the brand's colours are the shop's choice, but a page must stay readable, so a
 * colour too light for its background (or for white text on it) is darkened until it reaches the ratio.
 */

/** Relative luminance of a `#rrggbb` colour (WCAG 2.x definition). */
export function luminance(hex: string): number {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio between two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * `color` if it has at least `min` contrast against `background`; else the first mix of it towards black (or,
 * on a dark background, towards white) that has, so the brand's hue survives where it can.
 */
export function readableOn(color: string, background: string, min = 4.5): string {
  if (contrastRatio(color, background) >= min) return color.toLowerCase();
  const towards = luminance(background) > 0.18 ? '#000000' : '#ffffff';
  for (let step = 1; step <= 20; step++) {
    const mixed = mix(color, towards, step / 20);
    if (contrastRatio(mixed, background) >= min) return mixed;
  }
  return towards;
}

function rgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return [0, 0, 0];
  return [
    Number.parseInt(m[1] as string, 16),
    Number.parseInt(m[2] as string, 16),
    Number.parseInt(m[3] as string, 16),
  ];
}

function mix(a: string, b: string, share: number): string {
  const [x, y] = [rgb(a), rgb(b)];
  return `#${x
    .map((c, i) => Math.round(c + ((y[i] as number) - c) * share))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}
