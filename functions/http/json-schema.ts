/** A JSON Schema (2020-12) as the routes, ajv and the OpenAPI document hold it. */
export type JsonSchema = Record<string, unknown>;
