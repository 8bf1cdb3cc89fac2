/**
 * `reciprocity templates preview`: renders a journey's template from its sources, as a send would, with the
 * sample customer or a real profile (from a `run --profiles` file or a profiles table). Writes the HTML,
 * prints the subject and the text part. Links are fake (example.invalid) whatever the profile.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { formatIssues } from '../functions/domain/events.js';
import { LOCALES, type Locale } from '../functions/domain/locale.js';
import type { Profile } from '../functions/domain/model.js';
import type { Journey } from '../functions/domain/names.js';
import { renderMessage } from '../functions/domain/render.js';
import { CliError } from './errors.js';
import { readJsonl } from './jsonl.js';
import { profileLine } from './profiles-import.js';
import { checkTemplate } from './template-source.js';
import {
  DEFAULT_TEMPLATES_DIR,
  type Flags,
  journeyFlag,
  parseFlags,
  TEMPLATES_USAGE,
  withDb,
} from './templates.js';
import { explainAwsError, LOCAL_PROFILES_TABLE } from './templates-db.js';
import { SAMPLE_PROFILE, type SampleOrder, sampleVariables } from './templates-sample.js';

interface Customer {
  profile: Profile;
  order?: SampleOrder;
  source: string;
}

/** One customer from a `reciprocity run --profiles` file; their latest past order feeds a thank-you preview. */
async function fromFile(file: string, customerId: string): Promise<Customer> {
  const lines = await readJsonl(file);
  const line = lines.find((l) => l.ok && (l.value as { customerId?: unknown })?.customerId === customerId);
  if (!line?.ok) throw new CliError(`Customer ${customerId} is not in ${file}`);
  const parsed = profileLine.safeParse(line.value);
  if (!parsed.success) {
    throw new CliError(`${file} line ${line.line}: ${formatIssues(parsed.error)}`);
  }
  const { orders = [], ...detail } = parsed.data;
  const latest = [...orders].sort((a, b) => Date.parse(a.placedAt) - Date.parse(b.placedAt)).at(-1);
  const profile: Profile = {
    customerId: detail.customerId,
    email: detail.email,
    ...(detail.firstName ? { firstName: detail.firstName } : {}),
    ...(detail.locale ? { locale: detail.locale } : {}),
  };
  const order = latest && {
    orderId: latest.orderId,
    items: latest.items,
    total: latest.total,
    currency: latest.currency,
  };
  return { profile, ...(order ? { order } : {}), source: `${customerId} from ${file}` };
}

async function fromTable(values: Flags, customerId: string): Promise<Customer> {
  return withDb(values, async (db) => {
    const table = (values['profiles-table'] as string | undefined) ?? (db.local ? LOCAL_PROFILES_TABLE : '');
    if (!table) throw new CliError('--profiles-table NAME is required to read a customer with --table');
    try {
      const profile = await db.profiles(table).get(customerId);
      if (!profile) throw new CliError(`Customer ${customerId} is not in the profiles table ${table}`);
      return { profile, source: `${customerId} from ${table}` };
    } catch (error) {
      throw explainAwsError(error, db, table);
    }
  });
}

async function customerOf(values: Flags): Promise<Customer> {
  const customerId = values.customer as string | undefined;
  const file = values.profiles as string | undefined;
  const table = values.table !== undefined || values.local !== undefined;
  if (!customerId) {
    if (file || table || values['profiles-table'])
      throw new CliError('--profiles, --profiles-table, --table and --local need --customer ID');
    return { profile: SAMPLE_PROFILE, source: 'the sample customer' };
  }
  if (file && table) throw new CliError('Read the customer from --profiles FILE or from a table, not both');
  if (file) return fromFile(file, customerId);
  if (table) return fromTable(values, customerId);
  throw new CliError(
    '--customer needs --profiles FILE.jsonl, or --table NAME / --local [DIR] with --profiles-table NAME',
  );
}

export async function previewCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      table: { type: 'string' },
      local: { type: 'string' },
      journey: { type: 'string' },
      out: { type: 'string' },
      customer: { type: 'string' },
      profiles: { type: 'string' },
      'profiles-table': { type: 'string' },
      // The translation to see (en, de, fr; default: the customer's), and a journey's gift left out.
      language: { type: 'string' },
      'no-incentive': { type: 'boolean' },
    },
    1,
  );
  if (values.help) {
    console.log(TEMPLATES_USAGE);
    return 0;
  }
  const journey: Journey | undefined = journeyFlag(values.journey);
  if (!journey) throw new CliError(`--journey is required\n\n${TEMPLATES_USAGE}`);
  const out = values.out as string | undefined;
  if (!out) throw new CliError(`--out FILE.html is required\n\n${TEMPLATES_USAGE}`);
  const dir = positionals[0] ?? DEFAULT_TEMPLATES_DIR;
  const language = values.language as string | undefined;
  if (language !== undefined && !(LOCALES as readonly string[]).includes(language)) {
    throw new CliError(`--language must be one of ${LOCALES.join(', ')}`);
  }

  const customer = await customerOf(values);
  const check = await checkTemplate(dir, journey, new Date().toISOString());
  if (!check.draft) {
    console.log(`${journey}: cannot be rendered`);
    for (const problem of check.problems) console.log(`  ${problem}`);
    return 1;
  }
  // Still worth seeing while being fixed; push would refuse it.
  for (const problem of check.problems) console.error(`warning: ${problem}`);
  const vars = sampleVariables(journey, customer.profile, customer.order, {
    ...(language ? { language: language as Locale } : {}),
    ...(values['no-incentive'] ? { incentive: false } : {}),
  });
  let message: Awaited<ReturnType<typeof renderMessage>>;
  try {
    message = await renderMessage({ ...check.draft, version: `preview-${process.pid}` }, vars);
  } catch (error) {
    console.log(`${journey}: ${(error as Error).message}`);
    return 1;
  }
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, message.html);
  console.log(`Subject: ${message.subject}\n\n${message.text.trimEnd()}`);
  console.error(`\nWrote ${out} (${journey} in ${vars.customer.language}, ${customer.source})`);
  return 0;
}
