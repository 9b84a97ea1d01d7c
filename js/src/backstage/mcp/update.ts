// MCP action `update-dry-run`: what `ecr:update` would change for an existing registry (owner,
// risk tier, requester or domain), without writing anything.
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import * as core from '../../core.js';
import type { UpdateRequest } from '../../core.js';
import { updateExamples } from './examples.js';
import type { RepoReader } from './repo.js';
import { checkEnvironment, dryRun, dryRunOutput, registryFields } from './shared.js';

export function registerUpdate(registry: ActionsRegistryService, repo: () => RepoReader) {
  registry.register({
    name: 'update-dry-run',
    title: "Preview a change of an ECR registry's owner or risk tier (dry run)",
    description:
      "Shows what changing an existing ECR registry's owner, risk tier, requester or domain would change in the infra repo: the unified diff of the catalog entry and the tfvars metadata, and the pull request. The merged request must pass the rules. Nothing is written.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    examples: updateExamples(),
    schema: {
      input: (z) =>
        z.object({
          ...registryFields(z),
          owner: z.string().max(1024).optional().describe('New owning team'),
          risk: z.string().max(1024).optional().describe('New risk tier'),
          requester: z.string().max(1024).optional().describe('New requester'),
          domain: z.string().max(1024).optional().describe('New domain'),
        }),
      output: (z) => z.object(dryRunOutput(z)),
    },
    action: async ({ input }) => {
      const request: UpdateRequest = { name: input.name, environment: input.environment };
      if (input.owner) request.owner = input.owner;
      if (input.risk) request.risk = input.risk;
      if (input.requester) request.requester = input.requester;
      if (input.domain) request.domain = input.domain;
      const { result } = await dryRun(
        'update-dry-run',
        repo(),
        input.environment,
        (config) => checkEnvironment('update-dry-run', input.environment, config),
        (files, today, config) => core.update(request, files, today, config),
      );
      return { output: result };
    },
  });
}
