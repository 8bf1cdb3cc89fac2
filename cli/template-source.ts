/**
 * Template sources on disk (what marketers edit): `<dir>/<journey>/subject.liquid`, `body.mjml`,
 * `body.txt.liquid`. MJML is compiled here, when a template is pushed, never at send time.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Liquid } from 'liquidjs';
import mjml2html from 'mjml';
import type { TemplateVersion } from '../functions/domain/model.js';
import { JOURNEYS, type Journey } from '../functions/domain/names.js';

export type TemplateDraft = Omit<TemplateVersion, 'version'>;

export class TemplateSourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateSourceError';
  }
}

const liquid = new Liquid({ strictFilters: true });

/** Reads and compiles one journey's template; throws TemplateSourceError listing every problem found. */
export async function loadTemplate(dir: string, journey: Journey, at: string): Promise<TemplateDraft> {
  const base = join(dir, journey);
  const read = (file: string) =>
    readFile(join(base, file), 'utf8').catch((cause) => {
      throw new TemplateSourceError(`${journey}: cannot read ${join(base, file)}`, { cause });
    });
  const [subject, source, text] = await Promise.all([
    read('subject.liquid'),
    read('body.mjml'),
    read('body.txt.liquid'),
  ]);
  const compiled = await mjml2html(source, {
    validationLevel: 'strict',
    filePath: join(base, 'body.mjml'),
    // Shared partials (footer, item lists) may be included, from the template folder only.
    ignoreIncludes: false,
    includePath: resolve(dir),
    // No web fonts: a font request to a third party tells it who opened the mail.
    fonts: {},
  });
  const problems = compiled.errors.map((e) => `body.mjml line ${e.line}: ${e.message}`);
  for (const [name, body] of [
    ['subject.liquid', subject],
    ['body.mjml', compiled.html],
    ['body.txt.liquid', text],
  ] as const) {
    try {
      liquid.parse(body);
    } catch (error) {
      problems.push(`${name}: ${(error as Error).message}`);
    }
  }
  for (const [name, body] of [
    ['body.mjml', compiled.html],
    ['body.txt.liquid', text],
  ] as const) {
    if (!/\{\{\s*links\.unsubscribe\s*\}\}/.test(body))
      problems.push(`${name}: no {{ links.unsubscribe }} link`);
  }
  if (problems.length) throw new TemplateSourceError(`${journey}: ${problems.join('; ')}`);
  return { journey, subject: subject.trim(), html: compiled.html, text, mjml: source, createdAt: at };
}

/** Every journey's template in a directory (the starter set lives in templates/). */
export async function loadTemplates(dir: string, at: string): Promise<TemplateDraft[]> {
  return Promise.all(JOURNEYS.map((journey) => loadTemplate(dir, journey, at)));
}
