/**
 * Template sources on disk (what marketers edit): `<dir>/<journey>/subject.liquid`, `body.mjml`,
 * `body.txt.liquid`, plus the partials `body.mjml` includes. One check serves `templates validate`,
 * `templates push` and the embedded mode's seeding, so what passes one passes all. MJML is compiled here, when
 * a template is pushed, never at send time.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, posix, relative, resolve } from 'node:path';
import mjml2html from 'mjml';
import type { StoredTemplate } from '../functions/adapters/templates.js';
import { JOURNEYS, type Journey } from '../functions/domain/names.js';
import { renderMessage } from '../functions/domain/render.js';
import { type Display, readIncludes, syntaxProblems, unknownVariables } from './templates-liquid.js';
import { SAMPLE_LINKS, sampleVariables } from './templates-sample.js';

export type TemplateDraft = Omit<StoredTemplate, 'version'>;

export class TemplateSourceError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [message],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TemplateSourceError';
  }
}

/**
 * A journey's check: every problem found, and the compiled draft whenever it compiles and parses (so a preview
 * can still be shown while, say, a variable is unknown). Only a check without problems may be stored.
 */
export interface TemplateCheck {
  journey: Journey;
  problems: string[];
  draft?: TemplateDraft;
}

/** Longest subject (after a sample render) we accept: inboxes cut far earlier, and it must fit a header. */
export const MAX_SUBJECT = 150;

export const SOURCE_FILES = ['subject.liquid', 'body.mjml', 'body.txt.liquid'] as const;

interface MjmlIssue {
  line?: number;
  message?: string;
  formattedMessage?: string;
}

/** Compiles MJML strictly; an invalid document yields its errors instead of HTML. */
async function compileMjml(dir: string, journey: Journey, source: string, display: Display) {
  const file = display(`${journey}/body.mjml`);
  try {
    const compiled = await mjml2html(source, {
      validationLevel: 'strict',
      filePath: join(dir, journey, 'body.mjml'),
      // Shared partials (footer, item lists) may be included, from the template folder only.
      ignoreIncludes: false,
      includePath: resolve(dir),
      // No web fonts: a font request to a third party tells it who opened the mail.
      fonts: {},
    });
    return { html: compiled.html, problems: compiled.errors.map((e) => mjmlProblem(file, e, dir)) };
  } catch (error) {
    const issues = (error as { errors?: MjmlIssue[] }).errors;
    const problems = issues?.length
      ? issues.map((e) => mjmlProblem(file, e, dir))
      : [`${file}: MJML: ${(error as Error).message}`];
    return { html: undefined, problems };
  }
}

function mjmlProblem(file: string, issue: MjmlIssue, dir: string): string {
  // Only the formatted message names a partial: "Line 2 of /abs/_x.mjml, included at line 3 of file ...".
  const formatted = issue.formattedMessage ?? '';
  const prefix = `Line ${issue.line} of `;
  const included = formatted.indexOf(', included at ');
  if (formatted.startsWith(prefix) && included !== -1) {
    const partial = relative(resolve(dir), formatted.slice(prefix.length, included));
    return `${join(dir, partial)}:${issue.line}: MJML: ${issue.message} (included by ${file})`;
  }
  return `${file}${issue.line ? `:${issue.line}` : ''}: MJML: ${issue.message ?? formatted}`;
}

async function readSource(dir: string, journey: Journey, file: string, problems: string[]) {
  try {
    return await readFile(join(dir, journey, file), 'utf8');
  } catch (error) {
    problems.push(
      `${join(dir, journey, file)}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
    return undefined;
  }
}

// renderMessage caches parsed templates per journey@version; each sample render needs a key of its own.
let sampleRenders = 0;

/** Renders the draft with the sample data of its journey, as a send would; returns what is wrong. */
async function sampleRenderProblems(draft: TemplateDraft, display: Display): Promise<string[]> {
  const { journey } = draft;
  try {
    const version = `sample-${process.pid}-${++sampleRenders}`;
    const message = await renderMessage({ ...draft, version }, sampleVariables(journey));
    const problems: string[] = [];
    if (message.subject.length > MAX_SUBJECT) {
      problems.push(
        `${display(`${journey}/subject.liquid`)}: subject is ${message.subject.length} characters with the sample data (at most ${MAX_SUBJECT})`,
      );
    }
    if (!message.html.includes(SAMPLE_LINKS.unsubscribe))
      problems.push(`${display(`${journey}/body.mjml`)}: no {{ links.unsubscribe }} link in the HTML`);
    if (!message.text.includes(SAMPLE_LINKS.unsubscribe))
      problems.push(`${display(`${journey}/body.txt.liquid`)}: no {{ links.unsubscribe }} link in the text`);
    return problems;
  } catch (error) {
    // The render error names the throwaway sample version; the Liquid error under it is what helps.
    const cause =
      (error as Error).cause instanceof Error ? ((error as Error).cause as Error) : (error as Error);
    return [`${journey}: rendering with the sample data failed: ${cause.message}`];
  }
}

/** Checks and compiles one journey's template. Never throws for a template problem: they are all listed. */
export async function checkTemplate(dir: string, journey: Journey, at: string): Promise<TemplateCheck> {
  const display: Display = (key) => join(dir, ...key.split(posix.sep));
  const problems: string[] = [];
  const [subject, mjml, text] = await Promise.all(
    SOURCE_FILES.map((file) => readSource(dir, journey, file, problems)),
  );
  if (subject === undefined || mjml === undefined || text === undefined) return { journey, problems };

  const bodyKey = `${journey}/body.mjml`;
  const includes = await readIncludes(dir, bodyKey, mjml, display);
  const compiled = await compileMjml(dir, journey, mjml, display);
  const syntax = [
    ...syntaxProblems(display(`${journey}/subject.liquid`), subject),
    ...syntaxProblems(display(bodyKey), mjml),
    ...syntaxProblems(display(`${journey}/body.txt.liquid`), text),
    ...Object.entries(includes.partials).flatMap(([key, source]) => syntaxProblems(display(key), source)),
  ];
  problems.push(...includes.problems, ...compiled.problems, ...syntax);
  if (includes.problems.length === 0 && syntax.length === 0) {
    const own = { [`${journey}/subject.liquid`]: subject, [`${journey}/body.txt.liquid`]: text };
    const files = { ...includes.liquid, ...own };
    for (const entry of [`${journey}/subject.liquid`, bodyKey, `${journey}/body.txt.liquid`]) {
      problems.push(...(await unknownVariables(entry, files, display)));
    }
  }
  // MJML passes Liquid through as text, but an attribute it rewrites could break a tag: check what is stored.
  const stored =
    compiled.html !== undefined && syntax.length === 0
      ? syntaxProblems(`${display(bodyKey)} (compiled HTML)`, compiled.html)
      : [];
  problems.push(...stored);
  if (compiled.html === undefined || syntax.length || includes.problems.length || stored.length) {
    return { journey, problems };
  }

  const draft: TemplateDraft = {
    journey,
    subject,
    html: compiled.html,
    text,
    mjml,
    partials: includes.partials,
    createdAt: at,
  };
  problems.push(...(await sampleRenderProblems(draft, display)));
  return { journey, problems, draft };
}

/** Reads and compiles one journey's template; throws TemplateSourceError listing every problem found. */
export async function loadTemplate(dir: string, journey: Journey, at: string): Promise<TemplateDraft> {
  const check = await checkTemplate(dir, journey, at);
  if (!check.draft || check.problems.length) {
    throw new TemplateSourceError(`${journey}: ${check.problems.join('; ')}`, check.problems);
  }
  return check.draft;
}

/** Every journey's template in a directory (the starter set lives in templates/). */
export async function loadTemplates(dir: string, at: string): Promise<TemplateDraft[]> {
  return Promise.all(JOURNEYS.map((journey) => loadTemplate(dir, journey, at)));
}

/** The journeys that have a folder in `dir`, in the usual order. */
export async function journeysIn(dir: string): Promise<Journey[]> {
  const present = await Promise.all(
    JOURNEYS.map((journey) =>
      stat(join(dir, journey)).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  return JOURNEYS.filter((_, i) => present[i]);
}

/** Checks every journey folder present in `dir` (or only `journeys`). */
export async function checkTemplates(
  dir: string,
  at: string,
  journeys?: Journey[],
): Promise<TemplateCheck[]> {
  const selected = journeys ?? (await journeysIn(dir));
  return Promise.all(selected.map((journey) => checkTemplate(dir, journey, at)));
}
