/** schemas/target.schema.json, generated from the zod schema of target files (`npm run schemas`). */
import { z } from 'zod';
import { targetFileSchema } from './schema.js';

export const TARGET_SCHEMA_FILE = 'target.schema.json';

export function targetJsonSchema(): string {
  const { $schema, ...json } = z.toJSONSchema(targetFileSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return JSON.stringify({ $schema, title: 'Faultline declarative target file', ...json }, null, 2) + '\n';
}
