// MCP action `decommission-dry-run`: what `ecr:decommission` would change (the tfvars entry
// removed, so Terraform would delete the repository and its images; the catalog entry kept as
// decommissioned), without writing anything.
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import * as core from '../../core.js';
import { decommissionExamples } from './examples.js';
import type { RepoReader } from './repo.js';
import { checkEnvironment, dryRun, dryRunOutput, registryFields } from './shared.js';

export function registerDecommission(registry: ActionsRegistryService, repo: () => RepoReader) {
  registry.register({
    name: 'decommission-dry-run',
    title: 'Preview retiring an ECR registry (dry run)',
    description:
      "Shows what retiring an ECR registry would change in the infra repo: its tfvars entry removed (applying that deletes the repository and every image in it) and its catalog entry marked decommissioned, as a unified diff, with the pull request's text. Nothing is written or deleted.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    examples: decommissionExamples(),
    schema: {
      input: (z) => z.object(registryFields(z)),
      output: (z) => z.object(dryRunOutput(z)),
    },
    action: async ({ input }) => {
      const request = { name: input.name, environment: input.environment };
      const { result } = await dryRun(
        'decommission-dry-run',
        repo(),
        input.environment,
        (config) => checkEnvironment('decommission-dry-run', input.environment, config),
        (files, today, config) => core.decommission(request, files, today, config),
      );
      return { output: result };
    },
  });
}
