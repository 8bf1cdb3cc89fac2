/**
 * The Liquid side of template checks: which partials a body includes (`<mj-include>`), syntax errors with
 * file and line, and variables a template uses that TemplateVariables does not provide (by liquidjs's static
 * analysis, so loop variables, assigns and captures are told apart from what the send path must supply).
 */

import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { Liquid, type Variable } from 'liquidjs';
import { EMAIL_STRINGS } from '../functions/domain/i18n/email.js';
import { registerFilters } from '../functions/domain/render.js';

/** A variable's path as liquidjs gives it: names, indexes, and nested arrays for computed lookups. */
type SegmentArray = ReturnType<Variable['toArray']>;

/** Partials by key: the path relative to the template folder, with `/` separators. */
export type Files = Record<string, string>;

export interface IncludeGraph {
  /** The partials as written (what is stored, so `pull` can give them back). */
  partials: Files;
  /** Every file with each `<mj-include>` replaced by a Liquid include, on the same line, for the analysis. */
  liquid: Files;
  problems: string[];
}

/** Turns a key into the path shown to the user (joined to the folder as they typed it). */
export type Display = (key: string) => string;

// Tag scanning only: MJML inlines these files, so Liquid sees their content where the tag stands.
const INCLUDE_TAG = /<mj-include\b[^>]*>/g;
const PATH_ATTRIBUTE = /\bpath\s*=\s*(?:"([^"]*)"|'([^']*)')/;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Start/end offsets of HTML comments: MJML ignores a commented-out include, so must we. */
function commentRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let start = text.indexOf('<!--'); start !== -1; start = text.indexOf('<!--', start + 4)) {
    const end = text.indexOf('-->', start + 4);
    ranges.push([start, end === -1 ? text.length : end + 3]);
    if (end === -1) break;
  }
  return ranges;
}

/**
 * Reads every partial a body includes, transitively, and refuses includes outside the template folder or in
 * a circle. The Liquid view is only meant for analysis when there are no problems.
 */
export async function readIncludes(
  root: string,
  bodyKey: string,
  body: string,
  display: Display,
): Promise<IncludeGraph> {
  const graph: IncludeGraph = { partials: {}, liquid: {}, problems: [] };
  const rootDir = resolve(root);
  const pending: Array<[string, string]> = [[bodyKey, body]];
  const seen = new Set([bodyKey]);
  const edges = new Map<string, string[]>();
  for (let next = pending.shift(); next; next = pending.shift()) {
    const [key, text] = next;
    const comments = commentRanges(text);
    let out = '';
    let last = 0;
    for (const match of text.matchAll(INCLUDE_TAG)) {
      const start = match.index;
      if (comments.some(([from, to]) => start >= from && start < to)) continue;
      const tag = match[0];
      const attr = PATH_ATTRIBUTE.exec(tag);
      const path = attr?.[1] ?? attr?.[2];
      const where = `${display(key)}:${lineAt(text, start)}`;
      let replacement = '';
      if (!path) graph.problems.push(`${where}: <mj-include> without a path`);
      else {
        const target = relative(rootDir, resolve(rootDir, dirname(key), path));
        const included = target.split(sep).join(posix.sep);
        if (target === '..' || target.startsWith(`..${sep}`) || isAbsolute(target)) {
          graph.problems.push(`${where}: <mj-include path="${path}"> is outside the template folder`);
        } else if (/['"]/.test(included)) {
          graph.problems.push(
            `${where}: <mj-include path="${path}">: quotes in file names are not supported`,
          );
        } else {
          replacement = `{% include '${included}' %}`;
          edges.set(key, [...(edges.get(key) ?? []), included]);
          if (!seen.has(included)) {
            seen.add(included);
            try {
              const content = await readFile(resolve(rootDir, target), 'utf8');
              graph.partials[included] = content;
              pending.push([included, content]);
            } catch {
              graph.problems.push(`${where}: <mj-include path="${path}">: cannot read ${display(included)}`);
            }
          }
        }
      }
      // Same number of lines, so Liquid's line numbers stay those of the file the marketer edits.
      out += text.slice(last, start) + replacement + '\n'.repeat(tag.split('\n').length - 1);
      last = start + tag.length;
    }
    graph.liquid[key] = out + text.slice(last);
  }
  const cycle = findCycle(bodyKey, edges);
  if (cycle) graph.problems.push(`circular <mj-include>: ${cycle.map(display).join(' -> ')}`);
  return graph;
}

function findCycle(from: string, edges: Map<string, string[]>, path: string[] = []): string[] | undefined {
  if (path.includes(from)) return [...path.slice(path.indexOf(from)), from];
  for (const to of edges.get(from) ?? []) {
    const cycle = findCycle(to, edges, [...path, from]);
    if (cycle) return cycle;
  }
  return undefined;
}

const parser = registerFilters(new Liquid({ strictFilters: true, ownPropertyOnly: true }));

function liquidMessage(error: unknown): { line?: number; message: string } {
  const e = error as { message?: string; originalError?: Error; token?: { getPosition?: () => number[] } };
  const full = e.originalError?.message ?? e.message ?? String(error);
  // liquidjs appends ", file:..., line:..., col:..." to the message; the line is reported in our own format.
  const cut = full.indexOf(', file:');
  const bare = cut === -1 ? full : full.slice(0, cut);
  const line = e.token?.getPosition?.()[0];
  return line === undefined ? { message: bare } : { line, message: bare };
}

/** Liquid syntax errors of one file, as `file:line: message`. */
export function syntaxProblems(file: string, text: string): string[] {
  try {
    parser.parse(text, file);
    return [];
  } catch (error) {
    const { line, message } = liquidMessage(error);
    return [`${file}${line === undefined ? '' : `:${line}`}: Liquid: ${message}`];
  }
}

/** What templates may use: TemplateVariables in functions/domain/render.ts. A one-element array is a list. */
type Shape = 'value' | readonly [Shape] | { readonly [key: string]: Shape };
const V = 'value';
const ITEM: Shape = { sku: V, name: V, price: V, quantity: V, category: V, url: V, imageUrl: V };
const RECOMMENDATION: Shape = {
  sku: V,
  name: V,
  price: V,
  category: V,
  url: V,
  imageUrl: V,
  categoryName: V,
  reason: V,
  because: V,
  buyAgain: V,
  feedback: { useful: V, notForMe: V },
};
const VARIABLES: Shape = {
  customer: { firstName: V, hasName: V, locale: V, language: V },
  shop: {
    name: V,
    legalName: V,
    logoUrl: V,
    logoWidth: V,
    url: V,
    supportEmail: V,
    postalAddress: V,
    currency: V,
    colors: { primary: V, background: V, text: V, muted: V },
  },
  journey: V,
  cart: { items: [ITEM], total: V, currency: V, url: V },
  order: { orderId: V, items: [ITEM], total: V, currency: V, url: V },
  recommendations: [RECOMMENDATION],
  buyAgain: [RECOMMENDATION],
  discover: [RECOMMENDATION],
  incentive: { code: V, kind: V, terms: V, expires: V },
  links: { unsubscribe: V, preferences: V, why: V },
  feedback: { notes: [V] },
  t: Object.fromEntries(Object.keys(EMAIL_STRINGS.en).map((key) => [key, V])),
};

/** Whether a variable path exists; a computed property (`a[b]`) on an object cannot be checked and passes. */
export function knownVariable(segments: SegmentArray): boolean {
  let shape: Shape = VARIABLES;
  for (const segment of segments) {
    if (shape === V) {
      if (segment !== 'size') return false;
    } else if (Array.isArray(shape)) {
      if (segment === 'size') shape = V;
      else if (
        typeof segment === 'number' ||
        Array.isArray(segment) ||
        segment === 'first' ||
        segment === 'last'
      )
        shape = (shape as readonly [Shape])[0];
      else return false;
    } else {
      if (Array.isArray(segment)) return true;
      const fields = shape as { readonly [key: string]: Shape };
      const field =
        typeof segment === 'string' && Object.hasOwn(fields, segment) ? fields[segment] : undefined;
      if (!field) return false;
      shape = field;
    }
  }
  return true;
}

/** Variables `entry` uses (through its includes too) that no message provides, as `file:line: ...`. */
export async function unknownVariables(entry: string, files: Files, display: Display): Promise<string[]> {
  const engine = registerFilters(
    new Liquid({ strictFilters: true, ownPropertyOnly: true, templates: files }),
  );
  try {
    const analysis = await engine.analyze(engine.parse(files[entry] ?? '', entry));
    const problems = new Set<string>();
    for (const uses of Object.values(analysis.globals)) {
      for (const use of uses) {
        if (knownVariable(use.toArray())) continue;
        const file = display(use.location.file ?? entry);
        problems.add(`${file}:${use.location.row}: unknown variable ${use.toString()}`);
      }
    }
    return [...problems];
  } catch (error) {
    // Liquid's own include/render/layout find no files at send time; MJML's <mj-include> is the way to share.
    return [`${display(entry)}: Liquid: ${liquidMessage(error).message} (use <mj-include> to share parts)`];
  }
}
