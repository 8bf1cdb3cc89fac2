/** `reciprocity schemas [DIR]`: the event contract as JSON Schemas (printed, or one file per type). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DETAIL_SCHEMAS, shopEvent } from '../functions/domain/events.js';
import * as z from '../functions/domain/zod.js';
import { CliError } from './errors.js';

const USAGE = `Usage: reciprocity schemas [DIR]

Prints the JSON Schemas of the event contract (the envelope and each detail type), or writes them to DIR,
one <name>.schema.json file each.`;

/**
 * JSON Schemas of every detail type and of the envelope, for the README and for shops' own validation. Here,
 * not in functions/domain: the JSON Schema exporter is CLI work and stays out of the Lambda bundles.
 */
export function eventJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = { envelope: z.toJSONSchema(shopEvent, { io: 'input' }) };
  for (const [type, schema] of Object.entries(DETAIL_SCHEMAS))
    out[type] = z.toJSONSchema(schema, { io: 'input' });
  return out;
}

export async function schemasCommand(argv: string[]): Promise<void> {
  const [dir, ...extra] = argv;
  if (dir === '--help' || dir === '-h' || dir === 'help') {
    console.log(USAGE);
    return;
  }
  if (dir?.startsWith('-')) throw new CliError(`Unknown option "${dir}"\n\n${USAGE}`);
  if (extra.length > 0) throw new CliError(`Unexpected argument "${extra[0]}"\n\n${USAGE}`);
  const schemas = eventJsonSchemas();
  if (!dir) {
    console.log(JSON.stringify(schemas, null, 2));
    return;
  }
  await mkdir(dir, { recursive: true });
  for (const [name, schema] of Object.entries(schemas)) {
    await writeFile(join(dir, `${name}.schema.json`), `${JSON.stringify(schema, null, 2)}\n`);
  }
  console.log(`Wrote ${Object.keys(schemas).length} schemas to ${dir}`);
}
