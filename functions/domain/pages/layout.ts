/**
 * The frame of every customer page: plain HTML and inline CSS (the CSP allows nothing else), readable on a
 * phone, usable without JavaScript, with visible focus and AA contrast.
 */

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Colours: text #1a1a1a and links #0b4fb3 on white are above 7:1; the muted #4a4a4a is 8.9:1.
const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}
a{color:#0b4fb3}h2{margin-top:2.5rem;border-top:1px solid #d0d0d0;padding-top:1.5rem}h3{margin:1.5rem 0 .25rem}
button,input,select{font:inherit;min-height:2.75rem}input[type=checkbox],input[type=radio]{min-height:auto;width:1.25rem;height:1.25rem;margin:0 .5rem 0 0;vertical-align:-.2rem}
input[type=text],input[type=number],select{padding:.4rem;border:1px solid #4a4a4a;border-radius:.3rem;max-width:100%;box-sizing:border-box}
button{padding:.5rem 1.1rem;border-radius:.4rem;border:2px solid #1a1a1a;background:#1a1a1a;color:#fff;cursor:pointer;margin:.5rem .5rem 0 0}
button.secondary{background:#fff;color:#1a1a1a}button.danger{background:#a4161a;border-color:#a4161a}
:focus-visible{outline:3px solid #0b4fb3;outline-offset:2px}
fieldset{border:1px solid #d0d0d0;border-radius:.4rem;margin:1rem 0;padding:.5rem 1rem 1rem}legend{font-weight:600;padding:0 .3rem}
.option{margin:.6rem 0}.hint,.meta{color:#4a4a4a;font-size:.9rem}.hint{display:block;margin-left:1.75rem}
.notice{background:#e6f4ea;border-left:4px solid #1e6b34;padding:.6rem 1rem}.error{background:#fdecea;border-left:4px solid #a4161a;padding:.6rem 1rem}
.field{border:1px solid #d0d0d0;border-radius:.4rem;padding:.25rem 1rem 1rem;margin:1rem 0}
dl{margin:0}dt{font-weight:600;margin-top:.6rem}dd{margin:0;overflow-wrap:anywhere}
ul.plain{padding-left:1.2rem}`;

/** A whole page. `notice` (a confirmation) and `error` are announced by screen readers when the page loads. */
export function page(title: string, body: string, opts: { notice?: string; error?: string } = {}): string {
  const notice = opts.notice ? `<p class="notice" role="status">${escapeHtml(opts.notice)}</p>` : '';
  const error = opts.error ? `<p class="error" role="alert">${escapeHtml(opts.error)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${notice}${error}${body}</main></body></html>`;
}

/** Formats an ISO time as a readable UTC date and time, e.g. "3 Dec 2026, 07:00 UTC". */
export function readableTime(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) return iso ?? '';
  const d = new Date(ms);
  const month = MONTHS[d.getUTCMonth()]?.slice(0, 3);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCDate()} ${month} ${d.getUTCFullYear()}, ${hh}:${mm} UTC`;
}

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
