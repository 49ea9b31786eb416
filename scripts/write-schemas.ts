// Regenerates schemas/*.schema.json from the zod schemas in src/run/schemas.ts: `npm run schemas`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaDocuments } from '../src/run/schemas.js';
import { TARGET_SCHEMA_FILE, targetJsonSchema } from '../src/declarative/json-schema.js';

const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
for (const [file, text] of Object.entries({ ...jsonSchemaDocuments(), [TARGET_SCHEMA_FILE]: targetJsonSchema() })) {
  writeFileSync(join(dir, file), text);
  console.log(`wrote schemas/${file}`);
}
