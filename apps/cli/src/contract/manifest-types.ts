/** The slice of JSON Schema that zod emits for procedure inputs and the CLI reads. */
export interface JsonSchema {
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  default?: unknown;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

export interface ProcedureSpec {
  type: 'query' | 'mutation' | 'subscription';
  /** The procedure's doc comment in the router. */
  description?: string;
  /** Its input as one object schema (tRPC merges the builder's input with the procedure's); null: none. */
  input: JsonSchema | null;
}

/** What the CLI knows of the contract: every procedure by path (`droplets.powerOff`), and the routers. */
export interface Manifest {
  groups: Record<string, { description?: string }>;
  procedures: Record<string, ProcedureSpec>;
}
