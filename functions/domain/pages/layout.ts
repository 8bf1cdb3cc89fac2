/**
 * The frame of every customer page: the shop's header (logo or wordmark), the page, and a footer with who
 * runs the shop, its address, how to reach a person and where the data goes. Plain HTML and inline CSS (the
 * CSP allows nothing else, images from https only), readable on a phone, usable without JavaScript, with
 * visible focus and AA contrast whatever colours the brand kit sets.
 */
import type { Brand } from '../brand.js';
import type { PageContext } from './context.js';
import { readableOn } from './contrast.js';

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const WHITE = '#ffffff';

/** The page's colours from the brand kit, each moved just enough to keep 4.5:1 where it is used. */
export function pageColours(brand: Brand) {
  const { primary, background, text, muted } = brand.colors;
  // Buttons carry white text on the primary, and links are the primary on the white card: one check covers both.
  const accent = readableOn(primary, WHITE);
  return {
    accent,
    background: background.toLowerCase(),
    text: readableOn(text, WHITE, 7),
    muted: readableOn(muted, WHITE),
    // The footer sits on the brand background, not on the card.
    footerText: readableOn(muted, background),
    footerLink: readableOn(accent, background),
  };
}

function style(brand: Brand): string {
  const c = pageColours(brand);
  return `*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;background:${c.background};color:${c.text};font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;overflow-wrap:break-word}
a{color:${c.accent}}a:hover{text-decoration-thickness:2px}
.top{background:#fff;border-bottom:3px solid ${c.accent}}
.bar,main,footer{max-width:42rem;margin:0 auto}
.bar{display:flex;align-items:center;min-height:3.5rem;padding:.5rem 1.5rem}
.wordmark{font-weight:700;font-size:1.3rem;color:${c.accent};text-decoration:none}.logo img{display:block;height:auto;max-height:3rem}
main{background:#fff;margin:1rem auto;padding:1.25rem 1.5rem 1.5rem;border-radius:.5rem}
h1{font-size:1.65rem;line-height:1.25;margin:.25rem 0 1rem}h2{font-size:1.25rem;line-height:1.3;margin:1.75rem 0 .5rem}h3{font-size:1.05rem;margin:1rem 0 .25rem}
p,ul{margin:.5rem 0 .9rem}form{margin:0 0 1rem}
button,input,select{font:inherit;min-height:2.75rem}
input[type=checkbox],input[type=radio]{min-height:auto;width:1.25rem;height:1.25rem;margin:0 .6rem 0 0;vertical-align:-.2rem;accent-color:${c.accent}}
input[type=text],input[type=number],select{padding:.4rem .5rem;border:1px solid #6b6b6b;border-radius:.3rem;max-width:100%;background:#fff;color:inherit}
button{padding:.55rem 1.2rem;border-radius:.4rem;border:2px solid ${c.accent};background:${c.accent};color:#fff;cursor:pointer;margin:.6rem .5rem 0 0;font-weight:600}
button.secondary{background:#fff;color:${c.accent}}button.danger{background:#a4161a;border-color:#a4161a}
:focus-visible{outline:3px solid ${c.accent};outline-offset:2px}
fieldset{border:1px solid #d0d0d0;border-radius:.4rem;margin:.75rem 0;padding:.4rem 1rem .8rem;min-width:0}legend{font-weight:600;padding:0 .3rem}
.option{margin:.55rem 0}.sub{margin-left:1.85rem}.hint,.meta{color:${c.muted};font-size:.92rem}.hint{display:block;margin-left:1.85rem}
.notice{background:#e6f4ea;border-left:4px solid #1e6b34;padding:.6rem 1rem}.error{background:#fdecea;border-left:4px solid #a4161a;padding:.6rem 1rem}
.field{border:1px solid #d0d0d0;border-radius:.4rem;padding:.1rem 1rem .6rem;margin:.75rem 0}.field form{margin:0}
.field dl{display:grid;grid-template-columns:minmax(7rem,11rem) 1fr;gap:.15rem .9rem}.field dt{margin:0;color:${c.muted};font-size:.92rem}.field dd{margin:0}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1rem}.check{display:flex;align-items:flex-start}.check input{margin-top:.2rem;flex:none}
details{border:1px solid #d0d0d0;border-radius:.5rem;margin:.6rem 0}
summary{cursor:pointer;padding:.7rem 1rem;min-height:2.75rem}summary h2{display:inline;font-size:1.1rem;margin:0}
details[open]>summary{border-bottom:1px solid #d0d0d0}.inner{padding:.25rem 1rem .75rem}
dl{margin:0}dt{font-weight:600;margin-top:.9rem}dd{margin:.15rem 0 0;overflow-wrap:anywhere}
ul.plain{padding-left:1.2rem}ul.bare{list-style:none;padding:0}ul.bare li{margin:.35rem 0}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{padding:0 1.5rem 2rem;color:${c.footerText};font-size:.9rem}footer a{color:${c.footerLink}}footer p{margin:.4rem 0}
@media (max-width:32rem){main{margin:.5rem;padding:1rem 1rem 1.25rem}.bar{padding:.5rem 1.5rem}footer{padding:0 1.5rem 1.5rem}h1{font-size:1.45rem}button{width:100%;margin-right:0}.field dl{display:block}.field dt{margin-top:.35rem}}`;
}

function header(brand: Brand): string {
  const mark = brand.logoUrl
    ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.name)}" width="${brand.logoWidth}" style="max-width:min(100%,${brand.logoWidth}px)">`
    : escapeHtml(brand.name);
  return `<header class="top"><div class="bar"><a class="${brand.logoUrl ? 'logo' : 'wordmark'}" href="${escapeHtml(brand.shopUrl)}">${mark}</a></div></header>`;
}

function footer(ctx: PageContext): string {
  const { brand, t, links } = ctx;
  const support = brand.supportEmail
    ? `<p>${escapeHtml(t.frame.contact)} <a href="mailto:${escapeHtml(brand.supportEmail)}">${escapeHtml(brand.supportEmail)}</a></p>`
    : '';
  const preferences = links.preferences
    ? ` · <a href="${escapeHtml(links.preferences)}">${escapeHtml(t.frame.preferences)}</a>`
    : '';
  return `<footer><p><strong>${escapeHtml(brand.legalName)}</strong><br>${escapeHtml(brand.postalAddress)}</p>${support}
<p><a href="${escapeHtml(links.dataUse)}">${escapeHtml(t.frame.dataUse)}</a>${preferences}</p></footer>`;
}

/** A whole page. `notice` (a confirmation) and `error` are announced by screen readers when the page loads. */
export function page(
  ctx: PageContext,
  title: string,
  body: string,
  opts: { notice?: string | undefined; error?: string | undefined } = {},
): string {
  const notice = opts.notice ? `<p class="notice" role="status">${escapeHtml(opts.notice)}</p>` : '';
  const error = opts.error ? `<p class="error" role="alert">${escapeHtml(opts.error)}</p>` : '';
  return `<!doctype html>
<html lang="${ctx.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} · ${escapeHtml(ctx.brand.name)}</title>
<style>${style(ctx.brand)}</style></head>
<body>${header(ctx.brand)}
<main><h1>${escapeHtml(title)}</h1>${notice}${error}${body}</main>
${footer(ctx)}</body></html>`;
}

/** A collapsed section: its heading is the summary, so the page stays short and works without JavaScript. */
export function collapsible(id: string, heading: string, body: string, open = false): string {
  return `<details id="${id}"${open ? ' open' : ''}><summary><h2 id="${id}-h">${escapeHtml(heading)}</h2></summary><div class="inner">
${body}</div></details>`;
}

/** A one-paragraph page: refusals and simple confirmations. */
export function simplePage(ctx: PageContext, title: string, text: string): string {
  return page(ctx, title, `<p>${escapeHtml(text)}</p>`);
}
