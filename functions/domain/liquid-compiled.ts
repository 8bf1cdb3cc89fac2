/**
 * Parsed Liquid templates turned into plain closures. liquidjs drives every node, value and property read
 * through generators (so one engine serves sync and async), and that machinery was most of a render's time.
 * The closures walk the same parsed templates, so parsing, its checks and parseLimit stay liquidjs's own, and
 * they call liquidjs's own pieces (Context, property reads, filters, operators, truthiness) without the
 * generators. renderLimit is checked where liquidjs checks it (entering each block, so every loop
 * iteration), memoryLimit is charged by the same filters on the same Context.
 *
 * Only common shapes are compiled: text, outputs, if / unless, assign, and for without modifiers or
 * `forloop`. Anything else (another tag, a computed lookup, a range) is rendered by liquidjs itself inside
 * the same context, and a template that throws is rendered again by liquidjs by the caller (render.ts), so
 * errors read exactly as liquidjs words them. Pinned to liquidjs 10.30.1: the internals read here are
 * checked when compiling (an unexpected shape is not compiled) and by test/unit/render-compiled.test.ts.
 * The helpers the closures call as they render (output, escape, property reads, operators) are in
 * liquid-runtime.ts.
 */
import {
  AssignTag,
  filters as builtInFilters,
  Context,
  defaultOperators,
  type Emitter,
  Expression,
  evalToken,
  ForTag,
  IfTag,
  isTruthy,
  type Liquid,
  Output,
  type Template,
  type Token,
  TypeGuards,
  toValue,
  toValueSync,
  UnlessTag,
  Value,
} from 'liquidjs';
import {
  Buffer,
  escapeHtml,
  isArray,
  isIterator,
  isPrimitive,
  PRIMITIVE_OPERATORS,
  readOwn,
  resolve,
  stringify,
} from './liquid-runtime.js';

/** Renders a compiled template with these variables; throws what the closures throw. */
export type CompiledTemplate = ((scope: object) => string) & {
  /** Nodes and values left to liquidjs's own render (0 for the starter templates). */
  readonly delegated: number;
};

type Run = (ctx: Context, out: Emitter) => void;
type Eval = (ctx: Context) => unknown;

// What liquidjs 10.30.1 keeps on its objects but does not type as public.
interface FilterInternals {
  name: string;
  args: Array<Token | [string, Token]>;
  handler: (this: unknown, ...args: unknown[]) => unknown;
  token: unknown;
  liquid: Liquid;
}
interface ContextInternals {
  findScope(key: unknown): object;
}
interface AssignInternals {
  key: string;
  value: Value;
}
interface ForInternals {
  variable: string;
  collection: Token;
  hash: { hash: Record<string, unknown> };
  templates: Template[];
  elseTemplates: Template[];
}
type Branch = { value: Value; templates: Template[]; test?: (value: unknown, ctx: Context) => boolean };

class Compiler {
  /** Set when a node or value of the block being compiled is left to liquidjs (it may read `forloop`). */
  delegated = false;
  /** Set when a compiled lookup starts at `forloop`. */
  forloop = false;
  /** Nodes, values and loops left to liquidjs, counted. */
  delegations = 0;
  private readonly htmlClass: unknown;

  constructor(private readonly engine: Liquid) {
    this.htmlClass = engine.parse('x')[0]?.constructor;
  }

  block(templates: Template[]): Run {
    const runs: Run[] = [];
    const stops: boolean[] = [];
    for (const template of templates) {
      const before = this.delegated;
      this.delegated = false;
      runs.push(this.node(template));
      // A tag liquidjs renders may be a break or continue: liquidjs then stops the block, and so must we.
      stops.push(this.delegated);
      this.delegated ||= before;
    }
    const n = runs.length;
    return (ctx, out) => {
      ctx.renderLimit.check(performance.now());
      for (let i = 0; i < n; i++) {
        runs[i]!(ctx, out);
        if (stops[i] && (ctx.breakCalled || ctx.continueCalled)) return;
      }
    };
  }

  private node(template: Template): Run {
    const kind = template.constructor;
    if (kind === this.htmlClass && TypeGuards.isHTMLToken(template.token)) {
      const text = (template as unknown as { str: unknown }).str;
      if (typeof text === 'string') {
        return (_ctx, out) => {
          out.buffer += text;
        };
      }
    }
    if (kind === Output) {
      const value = this.value((template as Output).value);
      if (value) {
        return (ctx, out) => {
          out.buffer += stringify(toValue(value(ctx)));
        };
      }
    }
    if (kind === IfTag) {
      const tag = template as IfTag;
      const run = this.branches(tag.branches, tag.elseTemplates ?? []);
      if (run) return run;
    }
    if (kind === UnlessTag) {
      const tag = template as UnlessTag;
      const run = this.branches(tag.branches, tag.elseTemplates);
      if (run) return run;
    }
    if (kind === AssignTag) {
      const { key, value } = template as unknown as AssignInternals;
      const evaluate = typeof key === 'string' && value instanceof Value ? this.value(value) : undefined;
      if (evaluate) {
        return (ctx) => {
          ctx.bottom()[key] = evaluate(ctx);
        };
      }
    }
    if (kind === ForTag) {
      const run = this.loop(template, template as unknown as ForInternals);
      if (run) return run;
    }
    return this.delegate(template);
  }

  /** liquidjs renders this node itself, into our buffer, as its renderTemplates would. */
  private delegate(template: Template): Run {
    this.delegated = true;
    this.delegations++;
    return byLiquid(template);
  }

  /** if / elsif / else and unless: the first branch whose test passes renders, else the else branch. */
  private branches(branches: Branch[], elseTemplates: Template[]): Run | undefined {
    const tests: Array<{ value: Eval; test: ((v: unknown, ctx: Context) => boolean) | undefined; run: Run }> =
      [];
    for (const branch of branches) {
      if (!(branch.value instanceof Value)) return undefined;
      const value = this.value(branch.value);
      if (!value) return undefined;
      tests.push({ value, test: branch.test, run: this.block(branch.templates) });
    }
    const otherwise = this.block(elseTemplates);
    return (ctx, out) => {
      for (const { value, test, run } of tests) {
        const v = toValue(value(ctx));
        if (test ? test(v, ctx) : isTruthy(v, ctx)) {
          run(ctx, out);
          return;
        }
      }
      otherwise(ctx, out);
    };
  }

  /** `{% for x in list %}` without offset, limit, reversed or `forloop`, over an array (else liquidjs loops). */
  private loop(template: Template, tag: ForInternals): Run | undefined {
    const { variable, collection, hash } = tag;
    if (typeof variable !== 'string' || !hash || Object.keys(hash.hash ?? { x: 1 }).length) return undefined;
    const saved = { delegated: this.delegated, forloop: this.forloop };
    this.delegated = false;
    this.forloop = false;
    const items = this.token(collection);
    const body = this.block(tag.templates);
    const otherwise = this.block(tag.elseTemplates);
    const inexact = this.delegated || this.forloop;
    this.delegated = saved.delegated;
    this.forloop = saved.forloop || this.forloop;
    if (inexact) return undefined;
    // Another collection (a string, an object, a range) loops in liquidjs, with its own forloop and break.
    const fallback = byLiquid(template);
    const continueKey = `continue-${variable}-${collection.getText()}`;
    return (ctx, out) => {
      const list = toValue(items(ctx));
      if (!isArray(list)) {
        fallback(ctx, out);
        return;
      }
      if (!list.length) {
        otherwise(ctx, out);
        return;
      }
      ctx.setRegister(continueKey, list.length);
      // No ForloopDrop: nothing compiled in this loop reads `forloop` (checked above).
      const scope: Record<string, unknown> = Object.create(null);
      ctx.push(scope);
      for (const item of list) {
        scope[variable] = item;
        ctx.continueCalled = ctx.breakCalled = false;
        body(ctx, out);
        if (ctx.breakCalled) break;
      }
      ctx.continueCalled = ctx.breakCalled = false;
      ctx.pop();
    };
  }

  /** A value with its filters, as Value.value evaluates it (strictVariables is off, so leniency is moot). */
  value(value: Value): Eval | undefined {
    if (!(value.initial instanceof Expression)) return undefined;
    const initial = this.expression(value.initial);
    const filters: Array<(v: unknown, ctx: Context) => unknown> = [];
    for (const filter of value.filters as unknown as FilterInternals[]) {
      if (typeof filter.handler !== 'function' || !Array.isArray(filter.args)) return undefined;
      filters.push(this.filter(filter));
    }
    if (!filters.length) return initial;
    const n = filters.length;
    return (ctx) => {
      let v = initial(ctx);
      for (let i = 0; i < n; i++) v = filters[i]!(v, ctx);
      return v;
    };
  }

  private filter(filter: FilterInternals): (v: unknown, ctx: Context) => unknown {
    const { handler, token, liquid } = filter;
    if (handler === builtInFilters.escape && filter.args.length === 0) return escapeHtml;
    const args = filter.args.map((arg) =>
      isArray(arg) ? { key: arg[0], value: this.token(arg[1]) } : { key: undefined, value: this.token(arg) },
    );
    return (v, ctx) => {
      const argv: unknown[] = [v];
      for (const { key, value } of args) argv.push(key === undefined ? value(ctx) : [key, value(ctx)]);
      const result = handler.apply({ context: ctx, token, liquid }, argv);
      return isIterator(result) ? toValueSync(result) : result;
    };
  }

  /** Expression.evaluate: postfix tokens, operands as evalToken gives them. */
  private expression(expression: Expression): Eval {
    const operators = this.engine.options.operators;
    const steps: Array<{ operand: Eval } | { operator: Eval2; unary: boolean; fast?: Eval2 }> = [];
    for (const token of expression.postfix) {
      if (TypeGuards.isOperatorToken(token)) {
        const name = token.operator;
        const operator = operators[name] as Eval2 | undefined;
        if (typeof operator !== 'function') return this.delegateExpression(expression);
        // liquidjs calls a unary operator as (value, ctx).
        const unary = name === 'not';
        const own = operator === defaultOperators[name as keyof typeof defaultOperators];
        const fast = own ? PRIMITIVE_OPERATORS[name] : undefined;
        steps.push(fast ? { operator, unary, fast } : { operator, unary });
      } else {
        steps.push({ operand: this.token(token) });
      }
    }
    const only = steps.length === 1 ? steps[0] : undefined;
    if (only && 'operand' in only) return only.operand;
    return (ctx) => {
      const operands: unknown[] = [];
      for (const step of steps) {
        if ('operand' in step) {
          operands.push(step.operand(ctx));
          continue;
        }
        const r = operands.pop();
        if (step.unary) {
          operands.push(resolve((step.operator as (v: unknown, c: Context) => unknown)(r, ctx)));
          continue;
        }
        const l = operands.pop();
        operands.push(
          step.fast && isPrimitive(l) && isPrimitive(r)
            ? step.fast(l, r, ctx)
            : resolve(step.operator(l, r, ctx)),
        );
      }
      return operands[0];
    };
  }

  private delegateExpression(expression: Expression): Eval {
    this.delegated = true;
    this.delegations++;
    return (ctx) => toValueSync(expression.evaluate(ctx, false));
  }

  /** evalToken: literals, and `a.b.c` / `a["b"]` lookups read straight off the context. */
  private token(token: Token | undefined): Eval {
    if (!token) return () => undefined;
    if ('content' in token) {
      const content = (token as { content: unknown }).content;
      return () => content;
    }
    if (
      TypeGuards.isPropertyAccessToken(token) &&
      !token.variable &&
      token.props.length > 0 &&
      token.props.every((prop) => 'content' in prop)
    ) {
      const keys = token.props.map((prop) => toValue((prop as { content: unknown }).content) as string);
      if (keys[0] === 'forloop') this.forloop = true;
      const first = keys[0];
      const n = keys.length;
      // Names liquidjs reads specially (or numbers) go through its readProperty; the rest may be read directly.
      const direct = keys.map(
        (key) =>
          this.engine.options.ownPropertyOnly &&
          typeof key === 'string' &&
          key !== 'size' &&
          key !== 'first' &&
          key !== 'last',
      );
      return (ctx) => {
        let scope: unknown = (ctx as unknown as ContextInternals).findScope(first);
        for (let i = 0; i < n; i++) {
          scope = direct[i] ? readOwn(ctx, scope, keys[i]!) : ctx.readProperty(scope as object, keys[i]!);
          if (typeof scope === 'object' && scope !== null && isIterator(scope)) scope = toValueSync(scope);
        }
        return scope;
      };
    }
    this.delegated = true;
    this.delegations++;
    return (ctx) => toValueSync(evalToken(token, ctx, false));
  }
}

type Eval2 = (l: unknown, r: unknown, ctx: Context) => unknown;

function byLiquid(template: Template): Run {
  return (ctx, out) => {
    const html = toValueSync(template.render(ctx, out));
    if (html) out.write(html);
  };
}

/**
 * Compiles templates parsed by `engine`, or returns undefined when the engine's options change what a render
 * means in ways the closures do not follow (strict variables, typed output, collected errors).
 */
export function compileTemplates(engine: Liquid, templates: Template[]): CompiledTemplate | undefined {
  const options = engine.options;
  if (options.strictVariables || options.keepOutputType || options.catchAllErrors || options.lenientIf) {
    return undefined;
  }
  const compiler = new Compiler(engine);
  const root = compiler.block(templates);
  const render = (scope: object): string => {
    const ctx = new Context(scope, options, { sync: true }, { liquid: engine });
    const out = new Buffer();
    root(ctx, out);
    return out.buffer;
  };
  return Object.assign(render, { delegated: compiler.delegations });
}
