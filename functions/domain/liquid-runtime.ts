/**
 * What the compiled Liquid closures (liquid-compiled.ts) call as they render: liquidjs's own rules for
 * writing a value out, its array and iterator tests, its `escape` filter, property reads on plain objects and
 * the default operators on primitives, without the generators liquidjs drives them through. Each follows
 * liquidjs 10.30.1 as the compiler's header says.
 */
import { type Context, Drop, type Emitter, isTruthy, toValue, toValueSync } from 'liquidjs';

const objectToString = Object.prototype.toString;
/** liquidjs's own array test (`Array.isArray` differs for objects with a `Symbol.toStringTag`). */
export function isArray(value: unknown): value is unknown[] {
  return objectToString.call(value) === '[object Array]';
}

export function isIterator(value: unknown): value is IterableIterator<unknown> {
  const v = value as { next?: unknown; throw?: unknown; return?: unknown } | null | undefined;
  return (
    !!v && typeof v.next === 'function' && typeof v.throw === 'function' && typeof v.return === 'function'
  );
}

/** As liquidjs writes a value to its output. */
export function stringify(input: unknown): string {
  const value = toValue(input);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (isArray(value)) return value.map(stringify).join('');
  return String(value);
}

/** liquidjs's emitter for the nodes it renders itself: they write into the same buffer. */
export class Buffer implements Emitter {
  buffer = '';
  write(html: unknown): void {
    this.buffer += stringify(html);
  }
}

export function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** The default operators on strings, numbers, booleans and nil; anything else goes to liquidjs's operator. */
export const PRIMITIVE_OPERATORS: Record<
  string,
  ((l: unknown, r: unknown, ctx: Context) => unknown) | undefined
> = {
  '==': (l, r) => l === r,
  '!=': (l, r) => l !== r,
  '>': (l, r) => (l as number) > (r as number),
  '<': (l, r) => (l as number) < (r as number),
  '>=': (l, r) => (l as number) >= (r as number),
  '<=': (l, r) => (l as number) <= (r as number),
  contains: (l, r) =>
    typeof (l as { indexOf?: unknown } | null | undefined)?.indexOf === 'function'
      ? (l as string).indexOf(r as string) > -1
      : false,
  and: (l, r, ctx) => isTruthy(l, ctx) && isTruthy(r, ctx),
  or: (l, r, ctx) => isTruthy(l, ctx) || isTruthy(r, ctx),
};

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};
const ESCAPED = /&|<|>|"|'/g;
const NEEDS_ESCAPE = /[&<>"']/;

/** liquidjs's `escape` filter (it escapes every output of HTML bodies), without the replace when none is due. */
export function escapeHtml(value: unknown, ctx: Context): string {
  const text = stringify(value);
  ctx.memoryLimit.use(text.length);
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (m) => ESCAPES[m]!) : text;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Context.readProperty for a name that is not `size`, `first` or `last`, with ownPropertyOnly: an own data
 * property of an object or array is read directly; anything else (a Drop, toLiquid, a function, a string,
 * nil) goes through liquidjs's readProperty.
 */
export function readOwn(ctx: Context, scope: unknown, key: string): unknown {
  // An array reads a name as any object does (only a number indexes it, and those do not come here).
  if (typeof scope === 'object' && scope !== null && !(scope instanceof Drop)) {
    const object = scope as Record<string, unknown>;
    if (typeof object.toLiquid !== 'function') {
      const value = hasOwn.call(object, key) ? object[key] : undefined;
      if (typeof value !== 'function') return value;
    }
  }
  return ctx.readProperty(scope as object, key);
}

export function resolve(value: unknown): unknown {
  return isIterator(value) ? toValueSync(value) : value;
}
