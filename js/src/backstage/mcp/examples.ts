// The examples each MCP action shows in the actions registry: computed by the core at startup on
// a small repo (no catalog yet, an empty `ecr_repositories` map), so they are real outputs, not
// prose that could drift. The date is fixed; a real call uses today's.
import * as core from '../../core.js';
import type { Files } from '../../core.js';
import { EXAMPLE_REQUEST } from '../common.js';
import { dryRunOf } from './shared.js';

const TODAY = '2026-12-07';
const EMPTY: Files = { catalog: null, tfvars: 'ecr_repositories = {}\n' };

const request = { name: EXAMPLE_REQUEST.name, owner: EXAMPLE_REQUEST.owner, environment: EXAMPLE_REQUEST.environment, risk: EXAMPLE_REQUEST.risk };

export function validateExamples() {
  const bad = { ...request, name: 'Bad_Name' };
  const report = core.validateRequest(bad, null);
  return [
    {
      title: 'A name that breaks the platform and AWS rules: every problem, with its code',
      input: bad,
      output: { valid: false, registryId: null, entityName: null, errors: report.errors.map(({ field, code, message }) => ({ field, code: String(code), message })) },
    },
    {
      title: 'A valid request',
      input: request,
      output: { valid: true, registryId: core.registryId(request.name, null) ?? null, entityName: core.entityName(request.name), errors: [] },
    },
  ];
}

export function scaffoldExamples() {
  const out = core.scaffold(request, EMPTY, TODAY, null);
  return [
    {
      title: 'A new registry in a repo with no catalog yet and an empty ecr_repositories map',
      input: request,
      output: { registryId: out.registryId, entityName: out.entityName, ...dryRunOf(out, EMPTY) },
    },
  ];
}

/** The repo after the scaffold example, for the day-2 examples. */
function scaffolded(): Files {
  const out = core.scaffold(request, EMPTY, TODAY, null);
  return { catalog: out.catalog.text, tfvars: out.tfvars.text };
}

export function updateExamples() {
  const files = scaffolded();
  const input = { name: request.name, environment: request.environment, risk: 'high' };
  return [{ title: "Raise a registry's risk tier", input, output: dryRunOf(core.update(input, files, TODAY, null), files) }];
}

export function decommissionExamples() {
  const files = scaffolded();
  const input = { name: request.name, environment: request.environment };
  return [{ title: 'Retire a registry', input, output: dryRunOf(core.decommission(input, files, TODAY, null), files) }];
}
