/**
 * dynalite's `validateExpressions` (validations/index.js) with its parse results kept: dynalite parses every
 * expression of every request with its PEG parsers (a third of its time here), though a handler sends the
 * same few expressions over and over with other values. A parse depends on the expression texts, the
 * attribute names, which value placeholders exist and each value's type (the checks of ADD, list_append,
 * size, begins_with, ...); it embeds the values themselves by reference and nothing else of them, except
 * that BETWEEN compares its bounds and attribute_type reads its type name, so with those the values' content
 * is part of the key too. So the first request of each kind is checked and parsed by dynalite itself; its
 * result is kept with each embedded value replaced by its placeholder, and a later request of the same
 * kind gets a fresh copy with its own values put in. What dynalite checks of the values' content before
 * parsing (validateAttributeValue) is still checked on every request.
 */
import { createRequire } from 'node:module';

type Av = Record<string, unknown>;
type Data = Record<string, unknown> & {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, Av>;
};

export interface DynaliteValidations {
  validateExpressions(data: Data): string | undefined;
  validateAttributeValue(value: unknown): string | undefined;
}

const validations = createRequire(import.meta.url)('dynalite/validations/index.js') as DynaliteValidations;
const dynaliteValidateExpressions = validations.validateExpressions;

/** The request fields an expression can be in, and where dynalite puts each one's parse. */
const EXPRESSIONS = [
  ['UpdateExpression', '_updates'],
  ['ConditionExpression', '_condition'],
  ['KeyConditionExpression', '_keyCondition'],
  ['FilterExpression', '_filter'],
  ['ProjectionExpression', '_projection'],
] as const;
/** dynalite's order when it reads an attribute value's type (getImmediateType in its parsers). */
const TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'];
const READS_VALUES = /between|attribute_type/i;

/** A placeholder's value in a kept parse. */
class ValueRef {
  constructor(readonly name: string) {}
}

type Parsed = { field: (typeof EXPRESSIONS)[number][1]; template: unknown }[];

export class ExpressionCache {
  private readonly kept = new Map<string, Parsed>();
  hits = 0;
  misses = 0;

  /** What dynalite's validateExpressions returns (an error message or nothing), setting the same `_` fields. */
  validate(data: Data): string | undefined {
    const key = cacheKey(data);
    if (key === undefined) return dynaliteValidateExpressions(data);
    const parsed = this.kept.get(key);
    if (!parsed) {
      this.misses += 1;
      const message = dynaliteValidateExpressions(data);
      if (message === undefined) this.kept.set(key, keep(data));
      return message;
    }
    this.hits += 1;
    const values = data.ExpressionAttributeValues;
    for (const name in values) {
      const message = validations.validateAttributeValue(values[name]);
      if (message) return `ExpressionAttributeValues contains invalid value: ${message} for key ${name}`;
    }
    for (const { field, template } of parsed) data[field] = instantiate(template, values ?? {}, new Map());
    return undefined;
  }

  /**
   * Runs `fn` (which calls dynalite's validations synchronously) with this cache standing in for
   * `validateExpressions`, then puts dynalite's own back: the module is shared with any dynalite instance in
   * the process, and nothing else runs in between.
   */
  during<T>(fn: () => T): T {
    validations.validateExpressions = (data) => this.validate(data);
    try {
      return fn();
    } finally {
      validations.validateExpressions = dynaliteValidateExpressions;
    }
  }
}

function cacheKey(data: Data): string | undefined {
  let texts = '';
  let any = false;
  for (const [name] of EXPRESSIONS) {
    const text = data[name];
    if (typeof text === 'string') any = true;
    texts += `${typeof text === 'string' ? text : '\u0001'}\u0000`;
  }
  if (!any) return undefined;
  const values = data.ExpressionAttributeValues;
  let signature = '';
  for (const name in values) signature += `${name}:${typeOf(values[name])},`;
  const content = values && READS_VALUES.test(texts) ? JSON.stringify(values) : '';
  return `${texts}${JSON.stringify(data.ExpressionAttributeNames ?? null)}\u0000${signature}\u0000${content}`;
}

function typeOf(value: Av | undefined): string {
  if (!value || typeof value !== 'object') return String(value);
  for (const type of TYPES) if (value[type] != null) return type;
  return '?';
}

/** The parse results of `data` with every embedded attribute value replaced by its placeholder. */
function keep(data: Data): Parsed {
  const byValue = new Map<unknown, ValueRef>();
  for (const [name, value] of Object.entries(data.ExpressionAttributeValues ?? {}))
    byValue.set(value, new ValueRef(name));
  const seen = new Map<unknown, unknown>();
  const parsed: Parsed = [];
  for (const [, field] of EXPRESSIONS)
    if (data[field] !== undefined) parsed.push({ field, template: template(data[field], byValue, seen) });
  return parsed;
}

function template(node: unknown, byValue: Map<unknown, ValueRef>, seen: Map<unknown, unknown>): unknown {
  if (node === null || typeof node !== 'object') return node;
  const ref = byValue.get(node);
  if (ref) return ref;
  if (seen.has(node)) return seen.get(node);
  if (Array.isArray(node)) {
    const copy: unknown[] = [];
    seen.set(node, copy);
    for (const item of node) copy.push(template(item, byValue, seen));
    return copy;
  }
  const copy = Object.create(Object.getPrototypeOf(node)) as Record<string, unknown>;
  seen.set(node, copy);
  for (const [key, value] of Object.entries(node)) copy[key] = template(value, byValue, seen);
  return copy;
}

/** A fresh copy of a kept parse with this request's values (dynalite mutates the parse it is given). */
function instantiate(node: unknown, values: Record<string, Av>, made: Map<unknown, unknown>): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (node instanceof ValueRef) return values[node.name];
  const done = made.get(node);
  if (done !== undefined) return done;
  if (Array.isArray(node)) {
    const copy: unknown[] = [];
    made.set(node, copy);
    for (const item of node) copy.push(instantiate(item, values, made));
    return copy;
  }
  const copy = Object.create(Object.getPrototypeOf(node)) as Record<string, unknown>;
  made.set(node, copy);
  for (const key in node) copy[key] = instantiate((node as Record<string, unknown>)[key], values, made);
  return copy;
}
