// Test-only: the Crossplane provider's and Argo CD's CRD schemas (tests/schemas, generated from the
// upstream CRDs by scripts/crd-schemas.py and tightened to reject unknown fields), checked with ajv.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { root } from './workspace.js';

const schema = (plural: string): object =>
  JSON.parse(fs.readFileSync(path.join(root, `tests/schemas/${plural}.schema.json`), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
const validators: Record<string, ValidateFunction> = {
  Repository: ajv.compile(schema('repositories')),
  LifecyclePolicy: ajv.compile(schema('lifecyclepolicies')),
  Application: ajv.compile(schema('applications')),
};
const apiVersions: Record<string, string> = {
  Repository: 'ecr.aws.m.upbound.io/v1beta1',
  LifecyclePolicy: 'ecr.aws.m.upbound.io/v1beta1',
  Application: 'argoproj.io/v1alpha1',
};

interface Manifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { forProvider?: { policy?: unknown } };
}

/** Fails unless `obj` is a Repository, LifecyclePolicy or Application its CRD accepts. */
export function assertValidManifest(obj: Manifest): void {
  const validate = validators[obj.kind ?? ''];
  assert.ok(validate, `unexpected kind ${obj.kind}`);
  assert.ok(validate(obj), `${obj.kind} ${obj.metadata?.name}: ${ajv.errorsText(validate.errors)}`);
  // The one CEL rule of the LifecyclePolicy CRD: spec.forProvider.policy is required.
  if (obj.kind === 'LifecyclePolicy') assert.equal(typeof obj.spec?.forProvider?.policy, 'string');
  assert.equal(obj.apiVersion, apiVersions[obj.kind ?? '']);
}
