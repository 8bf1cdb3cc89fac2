/**
 * `reciprocity templates pull`: a stored version back as the files it was pushed from (subject.liquid,
 * body.mjml, body.txt.liquid, each translation's folder (de/, fr/) and the partials the bodies include), ready
 * to edit and push again.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix } from 'node:path';
import type { StoredTemplate } from '../functions/adapters/templates.js';
import { LOCALES } from '../functions/domain/locale.js';
import { JOURNEYS } from '../functions/domain/names.js';
import { CliError } from './errors.js';
import { journeyFlag, parseFlags, TEMPLATES_USAGE, withDb } from './templates.js';

/** A partial's key comes from the table: it must stay inside --out whatever was stored. */
function safeKey(key: string): boolean {
  const normal = posix.normalize(key);
  return (
    normal === key &&
    !isAbsolute(key) &&
    !key.includes('\\') &&
    !key.includes('\0') &&
    normal.split('/').every((part) => part !== '..' && part !== '.' && part !== '')
  );
}

/** The files of one version, by key (path relative to --out). */
function filesOf(template: StoredTemplate): Map<string, string> {
  const id = `${template.journey}@${template.version}`;
  if (template.mjml === undefined) {
    throw new CliError(`${id} was stored without its MJML source, so it cannot be pulled as editable files`);
  }
  const files = new Map<string, string>([
    [`${template.journey}/subject.liquid`, template.subject],
    [`${template.journey}/body.mjml`, template.mjml],
    [`${template.journey}/body.txt.liquid`, template.text],
  ]);
  // Each translation back in its own folder beside the default language's files.
  for (const [language, content] of Object.entries(template.locales ?? {})) {
    if (!content) continue;
    if (!(LOCALES as readonly string[]).includes(language)) {
      throw new CliError(`${id} has a translation in an unknown language: "${language}"`);
    }
    if (content.mjml === undefined) {
      throw new CliError(`${id}'s ${language} translation was stored without its MJML source`);
    }
    files.set(`${template.journey}/${language}/subject.liquid`, content.subject);
    files.set(`${template.journey}/${language}/body.mjml`, content.mjml);
    files.set(`${template.journey}/${language}/body.txt.liquid`, content.text);
  }
  for (const [key, content] of Object.entries(template.partials ?? {})) {
    if (!safeKey(key)) throw new CliError(`${id} names a partial outside the template folder: "${key}"`);
    files.set(key, content);
  }
  return files;
}

export async function pullCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(
    argv,
    {
      table: { type: 'string' },
      local: { type: 'string' },
      out: { type: 'string' },
      journey: { type: 'string' },
      version: { type: 'string' },
    },
    0,
  );
  if (values.help) {
    console.log(TEMPLATES_USAGE);
    return 0;
  }
  const out = values.out as string | undefined;
  if (!out) throw new CliError(`--out DIR is required\n\n${TEMPLATES_USAGE}`);
  const journey = journeyFlag(values.journey);
  const version = values.version as string | undefined;
  if (version && !journey) throw new CliError('--version needs --journey (version numbers are per journey)');

  const pulled = await withDb(values, async (db) => {
    const found: StoredTemplate[] = [];
    for (const j of journey ? [journey] : JOURNEYS) {
      const template = version ? await db.store.get(j, version) : await db.store.published(j);
      if (template) found.push(template);
      else if (journey) {
        throw new CliError(
          version
            ? `No version ${version} of ${j} in the ${db.where}`
            : `${j} has no published version in the ${db.where}`,
        );
      }
    }
    if (found.length === 0) throw new CliError(`Nothing is published in the ${db.where}`);
    return found;
  });

  // Gather every file first: two journeys may share a partial, and if their versions disagree on its content,
  // writing one over the other would silently change a journey; nothing is written then.
  const files = new Map<string, { content: string; from: string }>();
  for (const template of pulled) {
    const id = `${template.journey}@${template.version}`;
    for (const [key, content] of filesOf(template)) {
      const earlier = files.get(key);
      if (earlier && earlier.content !== content) {
        throw new CliError(
          `${key} differs between ${earlier.from} and ${id}; pull them one at a time with --journey and separate --out folders`,
        );
      }
      files.set(key, { content, from: id });
    }
  }
  for (const [key, { content }] of files) {
    const path = join(out, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  for (const template of pulled) {
    const partials = Object.keys(template.partials ?? {});
    const extra = partials.length ? ` (+ ${partials.join(', ')})` : '';
    console.log(`${template.journey}@${template.version} -> ${join(out, template.journey)}${extra}`);
  }
  return 0;
}
