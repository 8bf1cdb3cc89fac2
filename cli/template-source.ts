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
import { DEFAULT_CONFIG } from '../functions/domain/config.js';
import { LOCALES, type Locale } from '../functions/domain/locale.js';
import type { LocalizedContent } from '../functions/domain/model.js';
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
async function compileMjml(dir: string, folder: string, source: string, display: Display) {
  const file = display(`${folder}/body.mjml`);
  try {
    const compiled = await mjml2html(source, {
      validationLevel: 'strict',
      filePath: join(dir, folder, 'body.mjml'),
      // Shared partials (footer, item lists) may be included, from the template folder only.
      ignoreIncludes: false,
      includePath: resolve(dir),
      // No web fonts: a font request to a third party tells it who opened the mail.
      fonts: {},
      // The templates' comments are notes for whoever edits them, not part of any customer's email.
      keepComments: false,
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

async function readSource(dir: string, folder: string, file: string, problems: string[]) {
  try {
    return await readFile(join(dir, folder, file), 'utf8');
  } catch (error) {
    problems.push(
      `${join(dir, folder, file)}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
    return undefined;
  }
}

// renderMessage caches parsed templates per journey@version; each sample render needs a key of its own.
let sampleRenders = 0;

/** Renders one language of the draft with the sample data of its journey, as a send would; says what is wrong. */
async function sampleRenderProblems(
  draft: TemplateDraft,
  folder: string,
  language: Locale,
  display: Display,
): Promise<string[]> {
  const { journey } = draft;
  try {
    const version = `sample-${process.pid}-${++sampleRenders}`;
    const message = await renderMessage(
      { ...draft, version },
      sampleVariables(journey, undefined, undefined, { language }),
    );
    const problems: string[] = [];
    if (message.subject.length > MAX_SUBJECT) {
      problems.push(
        `${display(`${folder}/subject.liquid`)}: subject is ${message.subject.length} characters with the sample data (at most ${MAX_SUBJECT})`,
      );
    }
    if (!message.html.includes(SAMPLE_LINKS.unsubscribe))
      problems.push(`${display(`${folder}/body.mjml`)}: no {{ links.unsubscribe }} link in the HTML`);
    if (!message.text.includes(SAMPLE_LINKS.unsubscribe))
      problems.push(`${display(`${folder}/body.txt.liquid`)}: no {{ links.unsubscribe }} link in the text`);
    return problems;
  } catch (error) {
    // The render error names the throwaway sample version; the Liquid error under it is what helps.
    const cause =
      (error as Error).cause instanceof Error ? ((error as Error).cause as Error) : (error as Error);
    return [`${folder}: rendering with the sample data failed: ${cause.message}`];
  }
}

interface ContentCheck {
  problems: string[];
  content?: LocalizedContent & { mjml: string };
  partials: Record<string, string>;
}

/** Checks and compiles one language of a journey: the files in `folder` (`<journey>` or `<journey>/<lang>`). */
async function checkContent(dir: string, folder: string): Promise<ContentCheck> {
  const display: Display = (key) => join(dir, ...key.split(posix.sep));
  const problems: string[] = [];
  const [subject, mjml, text] = await Promise.all(
    SOURCE_FILES.map((file) => readSource(dir, folder, file, problems)),
  );
  if (subject === undefined || mjml === undefined || text === undefined) return { problems, partials: {} };

  const bodyKey = `${folder}/body.mjml`;
  const includes = await readIncludes(dir, bodyKey, mjml, display);
  const compiled = await compileMjml(dir, folder, mjml, display);
  const syntax = [
    ...syntaxProblems(display(`${folder}/subject.liquid`), subject),
    ...syntaxProblems(display(bodyKey), mjml),
    ...syntaxProblems(display(`${folder}/body.txt.liquid`), text),
    ...Object.entries(includes.partials).flatMap(([key, source]) => syntaxProblems(display(key), source)),
  ];
  problems.push(...includes.problems, ...compiled.problems, ...syntax);
  if (includes.problems.length === 0 && syntax.length === 0) {
    const own = { [`${folder}/subject.liquid`]: subject, [`${folder}/body.txt.liquid`]: text };
    const files = { ...includes.liquid, ...own };
    for (const entry of [`${folder}/subject.liquid`, bodyKey, `${folder}/body.txt.liquid`]) {
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
    return { problems, partials: includes.partials };
  }
  return { problems, content: { subject, html: compiled.html, text, mjml }, partials: includes.partials };
}

/** The translations present: `<journey>/<lang>/` folders of the shipped languages. */
async function languagesOf(dir: string, journey: Journey): Promise<Locale[]> {
  const present = await Promise.all(
    LOCALES.map((language) =>
      stat(join(dir, journey, language)).then(
        (s) => s.isDirectory(),
        () => false,
      ),
    ),
  );
  return LOCALES.filter((_, i) => present[i]);
}

/**
 * Checks and compiles one journey's template: its own files (the shop's default language) and each
 * translation folder beside them (`de/`, `fr/`). Never throws for a template problem: they are all listed.
 */
export async function checkTemplate(dir: string, journey: Journey, at: string): Promise<TemplateCheck> {
  const display: Display = (key) => join(dir, ...key.split(posix.sep));
  const languages = await languagesOf(dir, journey);
  const [main, ...translations] = await Promise.all([
    checkContent(dir, journey),
    ...languages.map((language) => checkContent(dir, `${journey}/${language}`)),
  ]);
  const problems = [main!, ...translations].flatMap((c) => c.problems);
  if (!main?.content || translations.some((t) => !t.content)) return { journey, problems };

  const locales: Partial<Record<Locale, LocalizedContent>> = {};
  translations.forEach((t, i) => {
    locales[languages[i]!] = t.content!;
  });
  const draft: TemplateDraft = {
    journey,
    ...main.content,
    ...(languages.length ? { locales } : {}),
    partials: Object.assign({}, main.partials, ...translations.map((t) => t.partials)),
    createdAt: at,
  };
  problems.push(...(await sampleRenderProblems(draft, journey, DEFAULT_CONFIG.defaultLocale, display)));
  for (const language of languages) {
    problems.push(...(await sampleRenderProblems(draft, `${journey}/${language}`, language, display)));
  }
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
