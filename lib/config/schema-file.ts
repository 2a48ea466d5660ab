/**
 * The published JSON Schema of environment files (`environments/schema.json`), rendered from
 * the TypeBox schema so that editors and the loader always apply the same rules.
 */
import { EnvironmentSchema } from './schema';

/** The JSON Schema dialect the file declares; ajv's default dialect, understood by editors. */
export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/** The environment schema as plain JSON, with its `$schema` dialect first. */
export function environmentJsonSchema(): Record<string, unknown> {
  // JSON round trip: drops TypeBox's symbol-keyed metadata, leaving only JSON Schema keywords.
  const plain = JSON.parse(JSON.stringify(EnvironmentSchema)) as Record<string, unknown>;
  return { $schema: JSON_SCHEMA_DRAFT, ...plain };
}

/** The content of `environments/schema.json`: 2-space indentation, trailing newline. */
export function renderSchemaFile(): string {
  return `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
}
