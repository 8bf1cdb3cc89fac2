/**
 * The one template check behind `templates validate`, `templates push` and the embedded seeding: each kind of
 * problem is caught on a copy of the starter templates with one thing broken.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  checkTemplates,
  loadTemplate,
  TemplateSourceError,
} from '../../cli/template-source.js';
import { knownVariable } from '../../cli/templates-liquid.js';

const AT = '2026-11-25T00:00:00.000Z';

/** A copy of the starter templates with `edit` applied to some of its files. */
function starterCopy(edit: Record<string, (source: string) => string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'reciprocity-templates-'));
  cpSync('templates', dir, { recursive: true });
  for (const [file, change] of Object.entries(edit)) {
    const path = join(dir, file);
    writeFileSync(path, change(readFileSync(path, 'utf8')));
  }
  return dir;
}

describe('Template check', () => {
  it('passes the starter templates and records the partials each body includes', async () => {
    // Act
    const checks = await checkTemplates('templates', AT);
    // Assess
    expect(checks.map((c) => [c.journey, c.problems])).toEqual([
      ['cart_reminder', []],
      ['order_followup', []],
      ['birthday', []],
      ['winback', []],
    ]);
    expect(Object.keys(checks[0]?.draft?.partials ?? {}).sort()).toEqual([
      '_footer.mjml',
      '_head.mjml',
      '_header.mjml',
      '_incentive.mjml',
      '_items.mjml',
      '_rec-card.mjml',
      '_recommendations.mjml',
    ]);
    expect(Object.keys(checks[0]?.draft?.locales ?? {}).sort()).toEqual(['de', 'fr']);
    expect(checks[0]?.draft?.mjml).toBe(readFileSync('templates/cart_reminder/body.mjml', 'utf8'));
  });

  it('reports a Liquid syntax error with its file and line', async () => {
    // Prepare
    const dir = starterCopy({ 'cart_reminder/body.txt.liquid': (s) => `${s}\n{% if cart %}never closed\n` });
    const lines = readFileSync(join(dir, 'cart_reminder/body.txt.liquid'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('never closed')) + 1;
    // Act
    const check = await checkTemplate(dir, 'cart_reminder', AT);
    // Assess
    expect(check.problems).toEqual([
      `${join(dir, 'cart_reminder/body.txt.liquid')}:${line}: Liquid: tag {% if cart %} not closed`,
    ]);
  });

  it('reports an unknown filter in a shared partial under the partial, not the body', async () => {
    // Prepare
    const dir = starterCopy({
      '_footer.mjml': (s) => s.replace('{{ t.optedIn }}', '{{ t.optedIn | shout }}'),
    });
    // Act
    const check = await checkTemplate(dir, 'birthday', AT);
    // Assess
    // Once per language that includes it (the default, de/ and fr/), always under the partial.
    expect(check.problems.length).toBeGreaterThan(0);
    for (const problem of check.problems)
      expect(problem).toMatch(/_footer\.mjml:8: Liquid: undefined filter: shout$/);
  });

  it('reports a variable no message provides, but not loop variables or assigns', async () => {
    // Prepare
    const dir = starterCopy({
      'birthday/body.mjml': (s) =>
        s.replace(
          '<mj-include path="../_footer.mjml" />',
          '<mj-section><mj-column><mj-text>{{ customer.email }}{% assign n = shop.name %}{{ n }}' +
            '{% for r in recommendations %}{{ r.name }}{{ forloop.index }}{% endfor %}' +
            '</mj-text></mj-column></mj-section>\n    <mj-include path="../_footer.mjml" />',
        ),
    });
    // Act
    const check = await checkTemplate(dir, 'birthday', AT);
    // Assess
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatch(/birthday\/body\.mjml:\d+: unknown variable customer\.email$/);
  });

  it('refuses a template without the unsubscribe link in the text part', async () => {
    // Prepare
    const dir = starterCopy({ 'winback/body.txt.liquid': (s) => s.replace('{{ links.unsubscribe }}', '') });
    // Act
    const check = await checkTemplate(dir, 'winback', AT);
    // Assess
    expect(check.problems).toEqual([
      `${join(dir, 'winback/body.txt.liquid')}: no {{ links.unsubscribe }} link in the text`,
    ]);
  });

  it('refuses a template whose HTML loses the unsubscribe link (an edit to the shared footer)', async () => {
    // Prepare
    const dir = starterCopy({
      '_footer.mjml': (s) => s.replace('{{ links.unsubscribe }}', '{{ links.why }}'),
    });
    // Act
    const check = await checkTemplate(dir, 'cart_reminder', AT);
    // Assess
    expect(check.problems).toEqual([
      `${join(dir, 'cart_reminder/body.mjml')}: no {{ links.unsubscribe }} link in the HTML`,
      `${join(dir, 'cart_reminder/de/body.mjml')}: no {{ links.unsubscribe }} link in the HTML`,
      `${join(dir, 'cart_reminder/fr/body.mjml')}: no {{ links.unsubscribe }} link in the HTML`,
    ]);
  });

  it('reports MJML errors (an unknown tag) with file and line', async () => {
    // Prepare
    const dir = starterCopy({
      'order_followup/body.mjml': (s) => s.replace('<mj-column>', '<mj-column><mj-bogus />'),
    });
    // Act
    const check = await checkTemplate(dir, 'order_followup', AT);
    // Assess
    expect(check.problems).toEqual([
      `${join(dir, 'order_followup/body.mjml')}:13: MJML: Element mj-bogus doesn't exist or is not registered`,
    ]);
  });

  it('refuses a subject longer than 150 characters once rendered', async () => {
    // Prepare
    const dir = starterCopy({
      'birthday/subject.liquid': (s) => `${s.trim()} ${'and many happy returns '.repeat(6)}`,
    });
    // Act
    const check = await checkTemplate(dir, 'birthday', AT);
    // Assess
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatch(
      /subject\.liquid: subject is \d+ characters with the sample data \(at most 150\)/,
    );
  });

  it('refuses an include from outside the template folder', async () => {
    // Prepare
    const dir = starterCopy({
      'winback/body.mjml': (s) => s.replace('../_footer.mjml', '../../elsewhere/_footer.mjml'),
    });
    // Act
    const check = await checkTemplate(dir, 'winback', AT);
    // Assess
    expect(check.problems.join('\n')).toContain(
      '<mj-include path="../../elsewhere/_footer.mjml"> is outside',
    );
  });

  it('makes loadTemplate (push and the embedded seeding) throw with every problem', async () => {
    // Prepare
    const dir = starterCopy({
      'cart_reminder/subject.liquid': () => '{{ customer.email }}',
      'cart_reminder/body.txt.liquid': (s) => s.replace('{{ links.unsubscribe }}', ''),
    });
    // Act
    const error = await loadTemplate(dir, 'cart_reminder', AT).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(TemplateSourceError);
    expect((error as TemplateSourceError).problems).toEqual([
      `${join(dir, 'cart_reminder/subject.liquid')}:1: unknown variable customer.email`,
      `${join(dir, 'cart_reminder/body.txt.liquid')}: no {{ links.unsubscribe }} link in the text`,
    ]);
  });
});

describe('Known template variables', () => {
  it.each([
    [['customer', 'firstName'], true],
    [['cart', 'items', 0, 'name'], true],
    [['order', 'items', 'first', 'price'], true],
    [['recommendations', 'size'], true],
    [['links', ['customer', 'locale']], true],
    [['journey'], true],
    [['customer', 'email'], false],
    [['customer'], true],
    [['order', 'customerId'], false],
    [['recommendations', 'name'], false],
    [['links', 'unsubscribe', 'host'], false],
    [['email'], false],
  ] as const)('%j is known: %s', (path, known) => {
    expect(knownVariable(path as unknown as Parameters<typeof knownVariable>[0])).toBe(known);
  });
});
