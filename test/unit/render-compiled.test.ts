/**
 * The compiled render path (functions/domain/liquid-compiled.ts) against liquidjs's own async render of the
 * same parsed templates, which is how every message was rendered before: byte-identical for every starter
 * journey x language x (with / without first name, gift, recommendations), and on the Liquid a marketer may
 * write beyond the starter set. The limits (REFERENCE.md section 4) hold on the compiled path too.
 */
import { Drop, Liquid } from 'liquidjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates, type TemplateDraft } from '../../cli/template-source.js';
import { resolveBrand } from '../../functions/domain/brand.js';
import { DEFAULT_CONFIG } from '../../functions/domain/config.js';
import { reasonWords } from '../../functions/domain/i18n/reasons.js';
import { compileTemplates } from '../../functions/domain/liquid-compiled.js';
import type { Locale } from '../../functions/domain/locale.js';
import type { Cart, Profile } from '../../functions/domain/model.js';
import type { Journey } from '../../functions/domain/names.js';
import {
  registerFilters,
  renderMessage,
  renderMessageLiquid,
  renderMessageSync,
  TemplateRenderError,
  type TemplateVariables,
  templateVariables,
} from '../../functions/domain/render.js';

// The limits of functions/domain/render.ts, for engines of the tests' own.
const LIMITS = {
  ownPropertyOnly: true,
  strictFilters: true,
  parseLimit: 100_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
  cache: false,
} as const;

const JOURNEYS: Journey[] = ['cart_reminder', 'order_followup', 'birthday', 'winback'];
const LANGUAGES: Locale[] = ['en', 'de', 'fr'];
const TAGS: Record<Locale, string> = { en: 'en-GB', de: 'de-AT', fr: 'fr-FR' };

// Characters HTML escaping must change, in what customers and the catalogue supply.
const ITEMS = [
  { sku: 'A-1', name: 'Tea & "Cups" <2>', price: 12.5, quantity: 2, url: 'https://s.example/p/a?x=1&y=2' },
  { sku: 'B-2', name: "L'Oolong", price: 7, quantity: 1, imageUrl: 'https://s.example/i/b.jpg' },
];
const CART: Cart = {
  cartId: 'K1',
  customerId: 'C1',
  items: ITEMS,
  currency: 'EUR',
  total: 32,
  status: 'open',
  updatedAt: '2026-12-01T10:00:00Z',
  cartUrl: 'https://s.example/cart',
};

function variables(
  journey: Journey,
  language: Locale,
  options: { name: boolean; gift: boolean; recommendations: boolean },
): TemplateVariables {
  const profile: Profile = {
    customerId: 'C1',
    email: 'c1@example.invalid',
    ...(options.name ? { firstName: 'Zoë <O’Brien> & Co' } : {}),
    locale: TAGS[language],
  };
  return templateVariables({
    journey,
    profile,
    brand: resolveBrand({
      brand: {
        ...DEFAULT_CONFIG.brand,
        logoUrl: 'https://s.example/logo.png',
        supportEmail: 'help@s.example',
      },
      sender: { shopName: 'Leaf & Bean', postalAddress: 'Teestraße 1, 10115 Berlin' },
    }),
    currency: 'EUR',
    locale: { language, tag: TAGS[language] },
    ...(journey === 'cart_reminder' ? { cart: CART } : {}),
    ...(journey === 'order_followup'
      ? {
          order: {
            orderId: 'O1',
            items: ITEMS,
            total: 32,
            currency: 'CHF',
            orderUrl: 'https://s.example/o/1',
          },
        }
      : {}),
    recommendations: options.recommendations
      ? [
          {
            sku: 'R-1',
            name: 'Matcha "Uji"',
            price: 19.9,
            category: 'tea',
            url: 'https://s.example/p/r1',
            imageUrl: 'https://s.example/i/r1.jpg',
            reason: 'bought_category',
            because: reasonWords('bought_category', language, 'tea'),
            feedback: { useful: 'https://l.example/v/up', notForMe: 'https://l.example/v/down' },
          },
          { sku: 'R-2', name: 'Kettle', price: 45 },
        ]
      : [],
    ...(options.gift
      ? { incentive: { code: 'GIFT-1', kind: 'percent', terms: '15% off <until> 31.12.', expires: '31.12.' } }
      : {}),
    links: {
      unsubscribe: 'https://l.example/u/tok?a=1&b=2',
      preferences: 'https://l.example/p/tok',
      why: 'https://l.example/why/tok',
    },
    feedbackNotes: options.recommendations ? ['You told us <tea> isn’t for you.'] : [],
  });
}

describe('Function: renderMessageSync', () => {
  let drafts: TemplateDraft[];

  beforeAll(async () => {
    drafts = await loadTemplates('templates', '2026-11-25T00:00:00.000Z');
  });

  it('renders every starter journey, language and variant byte for byte as liquidjs did', async () => {
    // Prepare
    const flags = [false, true];
    let compared = 0;
    for (const draft of drafts) {
      const template = { ...draft, version: 'v-golden' };
      for (const language of LANGUAGES) {
        for (const name of flags) {
          for (const gift of flags) {
            for (const recommendations of flags) {
              const vars = variables(draft.journey, language, { name, gift, recommendations });

              // Act
              const reference = await renderMessageLiquid(template, vars);
              const compiled = renderMessageSync(template, vars);

              // Assess
              const label = `${draft.journey} ${language} name=${name} gift=${gift} recs=${recommendations}`;
              expect(compiled.subject, label).toBe(reference.subject);
              expect(compiled.html, label).toBe(reference.html);
              expect(compiled.text, label).toBe(reference.text);
              expect(await renderMessage(template, vars), label).toEqual(reference);
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBe(JOURNEYS.length * LANGUAGES.length * 8);
  });

  it('renders what each variant changes (the comparison is not of empty output)', async () => {
    // Prepare
    const template = { ...drafts.find((d) => d.journey === 'cart_reminder')!, version: 'v-golden' };
    const plain = variables('cart_reminder', 'de', { name: false, gift: false, recommendations: false });
    const full = variables('cart_reminder', 'de', { name: true, gift: true, recommendations: true });

    // Act
    const a = renderMessageSync(template, plain);
    const b = renderMessageSync(template, full);

    // Assess
    expect(b.html).toContain('Zoë &lt;O’Brien&gt; &amp; Co');
    expect(b.html).toContain('GIFT-1');
    expect(b.html).toContain('Matcha &#34;Uji&#34;');
    expect(b.text).toContain('Matcha "Uji"');
    expect(b.html).toContain('32,00');
    expect(a.html).not.toContain('GIFT-1');
    expect(a.text).not.toContain('Matcha');
  });

  it('compiles every starter template part whole, leaving nothing to liquidjs', () => {
    // Prepare
    const html = registerFilters(new Liquid({ ...LIMITS, outputEscape: 'escape' }));
    const text = registerFilters(new Liquid({ ...LIMITS }));
    const contents = drafts.flatMap((d) => [d, ...Object.values(d.locales ?? {})]);

    // Act
    const delegated = contents.flatMap((c) => [
      compileTemplates(text, text.parse(c.subject))?.delegated,
      compileTemplates(html, html.parse(c.html))?.delegated,
      compileTemplates(text, text.parse(c.text))?.delegated,
    ]);

    // Assess
    expect(contents).toHaveLength(JOURNEYS.length * LANGUAGES.length);
    expect(delegated.every((n) => n === 0)).toBe(true);
  });

  it('throws TemplateRenderError with liquidjs wording when a template fails', () => {
    // Prepare
    const template = {
      ...drafts[0]!,
      version: 'v-broken',
      subject: '{{ shop.name | money: 1 | append }}',
      locales: {},
    };
    const vars = variables(template.journey, 'en', { name: true, gift: false, recommendations: false });

    // Act
    const act = () => renderMessageSync(template, vars);

    // Assess
    expect(act).toThrow(TemplateRenderError);
    expect(act).toThrow(/failed to render: .*append/);
  });
});

class Greeting extends Drop {
  hello() {
    return 'hi';
  }
  override liquidMethodMissing(key: string) {
    return `missing ${key}`;
  }
}

// A fresh scope per render: `increment` writes into the scope it is given.
const scope = () => ({
  name: 'Ada <&>',
  n: 3,
  zero: 0,
  empty: '',
  nothing: null,
  words: ['a', 'b', 'c'],
  nested: [
    [1, 2],
    [3, 4],
  ],
  people: [{ name: 'x', tags: ['t'] }, { name: 'y' }],
  map: { one: 1, two: 2 },
  text: 'hello world',
  price: 12.5,
  prototypeOnly: Object.create({ secret: 's3cret' }),
  withToString: { toString: () => 'custom' },
  fn: () => 'called',
  drop: new Greeting(),
  liquidish: { toLiquid: () => ({ inner: 'from toLiquid' }) },
});

// Liquid beyond the starter set: each runs compiled where it can and through liquidjs where not.
const SNIPPETS = [
  'plain text only',
  '{{ name }} {{ name | raw }} {{ name | upcase | escape }}',
  '{{ n | plus: 2 | times: price }} {{ price | money: "EUR", "de-DE" }} {{ price | money }}',
  '{{ nothing }}|{{ missing.deep.path }}|{{ empty | default: "none" }}|{{ zero | default: 5 }}',
  '{{ words }} {{ words.size }} {{ words.first }} {{ words.last }} {{ words[1] }} {{ words[-1] }}',
  '{{ map.one }} {{ map["two"] }} {{ map.size }} {{ text.size }} {{ prototypeOnly.secret }}',
  '{{ withToString }} {{ fn }} {{ map }} {{ people }}',
  '{{ words.length }} {{ people[0].name }} {{ words["0"] }} {{ people.size }} {{ people.first.name }}',
  '{{ drop.hello }} {{ drop.other }} {{ liquidish.inner }} {% if drop %}d{% endif %} {{ text.first }}',
  '{% if n > 2 and text contains "world" %}yes{% elsif n %}mid{% else %}no{% endif %}',
  '{% if nothing or zero %}a{% endif %}{% if empty %}b{% endif %}{% if nothing == nil %}c{% endif %}',
  '{% if words contains "b" %}in{% endif %}{% if words == empty %}E{% endif %}{% if empty == blank %}B{% endif %}',
  '{% if n != 3 %}x{% elsif n >= 3 and n <= 3 %}three{% endif %}{% unless n < 1 %}u{% else %}v{% endunless %}',
  '{% if not_there %}x{% else %}{% unless zero %}z{% elsif n %}n{% endunless %}{% endif %}',
  '{% for w in words %}[{{ w }}]{% else %}none{% endfor %}{% for w in nothing %}x{% else %}empty{% endfor %}',
  '{% for row in nested %}{% for c in row %}{{ c }}{% endfor %};{% endfor %}',
  '{% for w in words %}{{ forloop.index }}/{{ forloop.length }}{% if forloop.last %}!{% endif %}{% endfor %}',
  '{% for w in words limit: 2 offset: 1 %}{{ w }}{% endfor %}{% for w in words reversed %}{{ w }}{% endfor %}',
  '{% for w in words %}{% if w == "b" %}{% break %}{% endif %}{{ w }}{% endfor %}',
  '{% for w in words %}{% if w == "b" %}{% continue %}{% endif %}{{ w }}{% endfor %}',
  '{% for i in (1..n) %}{{ i }}{% endfor %}{% for kv in map %}{{ kv[0] }}={{ kv[1] }},{% endfor %}',
  '{% for c in text %}{{ c }}{% endfor %}|{% for p in people %}{{ p.name }}{{ p.tags.size }}{% endfor %}',
  '{% assign x = n | plus: 1 %}{{ x }}{% for w in words %}{% assign last = w %}{% endfor %}{{ last }}{{ w }}',
  '{% capture c %}{{ name }}!{% endcapture %}{{ c }}{% case n %}{% when 3 %}three{% else %}other{% endcase %}',
  '{% cycle "a", "b" %}{% cycle "a", "b" %}{% increment k %}{% increment k %}{% raw %}{{ x }}{% endraw %}',
  '{%- if n -%}  trimmed  {%- endif -%} {{- name -}} {% comment %}gone{% endcomment %}{# inline #}',
  '{{ words | join: ", " }} {{ people | map: "name" | join }} {{ text | split: " " | last }}',
  '{{ "quoted" }} {{ 42 }} {{ true }} {{ nil }} {{ (1..3) | join }}',
  '{% liquid\n  assign y = "liq"\n  echo y\n%}{% echo name %}',
];

describe('Function: compileTemplates', () => {
  const engines = {
    html: registerFilters(new Liquid({ ...LIMITS, outputEscape: 'escape' })),
    text: registerFilters(new Liquid({ ...LIMITS })),
  };

  for (const [kind, engine] of Object.entries(engines)) {
    it.each(SNIPPETS)(`renders as liquidjs renders it (${kind}): %s`, async (source) => {
      // Prepare
      const templates = engine.parse(source);
      const compiled = compileTemplates(engine, templates);

      // Act
      const reference = await engine.render(templates, scope());

      // Assess
      expect(compiled).toBeDefined();
      expect(compiled!(scope())).toBe(reference);
      expect(engine.renderSync(templates, scope())).toBe(reference);
    });
  }

  it('stops a compiled loop at the render limit', () => {
    // Prepare
    const engine = registerFilters(new Liquid({ ...LIMITS, renderLimit: 50 }));
    const big = Array.from({ length: 2_000 }, (_, i) => i);
    const templates = engine.parse('{% for a in big %}{% for b in big %}{{ a }}{% endfor %}{% endfor %}');
    const compiled = compileTemplates(engine, templates)!;
    const started = performance.now();

    // Act
    const act = () => compiled({ big });

    // Assess
    expect(act).toThrow(/template render limit exceeded/);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('charges the memory limit through the same filters', () => {
    // Prepare
    const engine = registerFilters(new Liquid({ ...LIMITS, outputEscape: 'escape', memoryLimit: 1_000 }));
    const compiled = compileTemplates(engine, engine.parse('{% for w in words %}{{ long }}{% endfor %}'))!;

    // Act
    const act = () => compiled({ words: [1, 2, 3], long: 'x'.repeat(400) });

    // Assess
    expect(act).toThrow(/memory alloc limit exceeded/);
  });

  it('counts what it leaves to liquidjs', () => {
    // Prepare
    const engine = registerFilters(new Liquid({ ...LIMITS }));

    // Act
    const compiled = compileTemplates(engine, engine.parse('{% cycle "a" %}{{ a[b] }}{{ c }}'))!;

    // Assess
    expect(compiled.delegated).toBe(2);
  });

  it('is not used for options whose meaning it does not follow', () => {
    // Prepare
    const strict = new Liquid({ ...LIMITS, strictVariables: true });

    // Act
    const compiled = compileTemplates(strict, strict.parse('{{ x }}'));

    // Assess
    expect(compiled).toBeUndefined();
  });
});
