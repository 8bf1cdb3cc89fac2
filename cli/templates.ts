/**
 * `reciprocity templates`: the marketer's workflow on versioned templates in DynamoDB (a real table or a
 * local store): list, pull, push, validate, preview. Returns the exit code: 1 when templates have problems
 * (2, a usage error, is thrown as CliError).
 */
import { userInfo } from 'node:os';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DEFAULT_VARIANT, VARIANT_NAME } from '../functions/domain/bandit.js';
import { JOURNEYS, type Journey } from '../functions/domain/names.js';
import { CliError } from './errors.js';
import { checkTemplates, journeysIn, type TemplateCheck } from './template-source.js';
import { DEFAULT_LOCAL_DIR, explainAwsError, openTemplatesDb, type TemplatesDb } from './templates-db.js';

export const DEFAULT_TEMPLATES_DIR = 'templates';

export const TEMPLATES_USAGE = `Usage: reciprocity templates <command> [options]

  validate [DIR]                         check every journey folder in DIR (default ${DEFAULT_TEMPLATES_DIR}/)
  push [DIR] [--journey J] [--publish [--variant V]] [--author NAME]
                                         validate, compile MJML and store a new version (and publish it,
                                         as the current version or as variant V beside it, e.g. B)
  list [--journey J]                     versions per journey, and which are published (and as which variant)
  pull --out DIR [--journey J] [--version V]
                                         write the published (or given) version back as editable files
  preview --journey J [DIR] --out FILE.html [--customer ID (--profiles FILE.jsonl | --profiles-table NAME)]
                                         render with sample data (or a real profile); print subject and text

Where templates live (push, list, pull, and preview with a profiles table), exactly one of:
  --table NAME     the DynamoDB table on AWS (AWS_REGION / AWS_PROFILE; AWS_ENDPOINT_URL_DYNAMODB honoured)
  --local [DIR]    a local store on disk (default ${DEFAULT_LOCAL_DIR}); put a template folder before it

Journeys: ${JOURNEYS.join(', ')}.`;

type Options = NonNullable<ParseArgsConfig['options']>;
export type Flags = Record<string, string | boolean | undefined>;

const WHERE: Options = { table: { type: 'string' }, local: { type: 'string' } };

/** `--local` takes an optional folder, which parseArgs cannot express: a bare `--local` means the default. */
function normalizeLocal(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg !== '--local') out.push(arg);
    else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-')) {
        out.push(`--local=${next}`);
        i++;
      } else out.push(`--local=${DEFAULT_LOCAL_DIR}`);
    }
  }
  return out;
}

export function parseFlags(argv: string[], options: Options, maxPositionals: number) {
  try {
    const { values, positionals } = parseArgs({
      args: normalizeLocal(argv),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > maxPositionals)
      throw new Error(`Unexpected argument "${positionals[maxPositionals]}"`);
    return { values: values as Flags, positionals };
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${TEMPLATES_USAGE}`);
  }
}

export function journeyFlag(value: string | boolean | undefined): Journey | undefined {
  if (value === undefined) return undefined;
  if (!JOURNEYS.includes(value as Journey))
    throw new CliError(`--journey must be one of ${JOURNEYS.join(', ')}, got "${value}"`);
  return value as Journey;
}

/** Opens the store, runs `action`, closes the store; AWS errors a user can fix become CliErrors. */
export async function withDb<T>(values: Flags, action: (db: TemplatesDb) => Promise<T>): Promise<T> {
  const db = await openTemplatesDb({
    table: values.table as string | undefined,
    local: values.local as string | undefined,
  });
  try {
    return await action(db);
  } catch (error) {
    throw explainAwsError(error, db);
  } finally {
    await db.close();
  }
}

/** The journeys to act on: the one asked for (its folder must exist), or every journey folder in `dir`. */
async function selectJourneys(dir: string, journey: Journey | undefined): Promise<Journey[]> {
  const present = await journeysIn(dir);
  if (journey) {
    if (!present.includes(journey)) throw new CliError(`No ${journey}/ folder in ${dir}`);
    return [journey];
  }
  if (present.length === 0)
    throw new CliError(`No journey folders in ${dir} (expected one or more of ${JOURNEYS.join('/, ')}/)`);
  return present;
}

function printChecks(checks: TemplateCheck[]): boolean {
  let ok = true;
  for (const check of checks) {
    if (check.problems.length === 0) {
      console.log(`${check.journey}: OK`);
      continue;
    }
    ok = false;
    const count = check.problems.length;
    console.log(`${check.journey}: ${count} problem${count === 1 ? '' : 's'}`);
    for (const problem of check.problems) console.log(`  ${problem}`);
  }
  return ok;
}

async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { journey: { type: 'string' } }, 1);
  if (values.help) return usage();
  const dir = positionals[0] ?? DEFAULT_TEMPLATES_DIR;
  const journeys = await selectJourneys(dir, journeyFlag(values.journey));
  return printChecks(await checkTemplates(dir, new Date().toISOString(), journeys)) ? 0 : 1;
}

async function pushCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      ...WHERE,
      journey: { type: 'string' },
      publish: { type: 'boolean' },
      variant: { type: 'string' },
      author: { type: 'string' },
    },
    1,
  );
  if (values.help) return usage();
  const variant = values.variant as string | undefined;
  if (variant !== undefined && !values.publish) throw new CliError('--variant needs --publish');
  if (variant !== undefined && !VARIANT_NAME.test(variant))
    throw new CliError(`--variant must be 1-32 letters, digits, "_" or "-", got "${variant}"`);
  const dir = positionals[0] ?? DEFAULT_TEMPLATES_DIR;
  const journeys = await selectJourneys(dir, journeyFlag(values.journey));
  const author = (values.author as string | undefined) || process.env.USER || username();
  const at = new Date().toISOString();
  const checks = await checkTemplates(dir, at, journeys);
  // All or nothing: a half-pushed set of journeys is harder to reason about than none.
  if (checks.some((c) => c.problems.length)) {
    printChecks(checks);
    console.log('\nNothing pushed.');
    return 1;
  }
  return withDb(values, async (db) => {
    for (const { draft } of checks) {
      if (!draft) continue;
      const version = await db.store.addVersion({ ...draft, author });
      if (values.publish) await db.store.publish(draft.journey, version, at, variant);
      const published = variant ? ` (published as variant ${variant})` : ' (published)';
      console.log(`${draft.journey}@${version}${values.publish ? published : ''}`);
    }
    return 0;
  });
}

async function listCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, { ...WHERE, journey: { type: 'string' } }, 0);
  if (values.help) return usage();
  const journey = journeyFlag(values.journey);
  return withDb(values, async (db) => {
    for (const j of journey ? [journey] : JOURNEYS) {
      const [versions, pointer] = await Promise.all([db.store.versions(j), db.store.publishedPointer(j)]);
      const published = pointer[DEFAULT_VARIANT];
      console.log(`${j}: ${versions.length ? `published ${published ?? 'none'}` : 'no versions'}`);
      for (const v of versions) {
        const others = Object.entries(pointer)
          .filter(([name, version]) => name !== DEFAULT_VARIANT && version === v.version)
          .map(([name]) => `  variant ${name}`);
        const mark = `${v.version === published ? '  published' : ''}${others.sort().join('')}`;
        console.log(`  ${v.version}  ${v.createdAt}  ${(v.author ?? '-').padEnd(16)}${mark}`.trimEnd());
      }
    }
    return 0;
  });
}

function username(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown'; // a container user without a passwd entry
  }
}

function usage(): number {
  console.log(TEMPLATES_USAGE);
  return 0;
}

export async function templatesCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'validate':
      return validateCommand(rest);
    case 'push':
      return pushCommand(rest);
    case 'list':
      return listCommand(rest);
    case 'pull':
      return (await import('./templates-pull.js')).pullCommand(rest);
    case 'preview':
      return (await import('./templates-preview.js')).previewCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return usage();
    default:
      throw new CliError(`Unknown templates command "${command}"\n\n${TEMPLATES_USAGE}`);
  }
}
