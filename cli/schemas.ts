/** `reciprocity schemas [DIR]`: the event contract as JSON Schemas (printed, or one file per type). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventJsonSchemas } from '../functions/domain/events.js';

export async function schemasCommand(argv: string[]): Promise<void> {
  const schemas = eventJsonSchemas();
  const [dir] = argv;
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
