// MCP action `scaffold-dry-run`: what `ecr:scaffold` would change for a new registry, without
// writing anything: the diff of both files (the same text `ecr-registrar scaffold --dry-run`
// prints), the pull request's branch, title and body, and the targeted plan.
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import * as core from '../../core.js';
import type { Request } from '../../core.js';
import { type CatalogLookup, checkRequest } from '../common.js';
import { scaffoldExamples } from './examples.js';
import type { RepoReader } from './repo.js';
import { dryRun, dryRunOutput, requestFields } from './shared.js';

export function registerScaffold(registry: ActionsRegistryService, repo: () => RepoReader, catalog: CatalogLookup | undefined) {
  registry.register({
    name: 'scaffold-dry-run',
    title: 'Preview a new ECR registry (dry run)',
    description:
      "Shows what requesting a new ECR registry would change in the infra repo: the unified diff of the governance catalog and the environment's terraform.tfvars, and the pull request's branch, title and body. An invalid request is refused with every problem listed. Nothing is written; the request is made through the Backstage template.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    examples: scaffoldExamples(),
    schema: {
      input: (z) => z.object(requestFields(z)),
      output: (z) => z.object({ registryId: z.string(), entityName: z.string(), ...dryRunOutput(z) }),
    },
    action: async ({ input, credentials }) => {
      const request = input as Request;
      const lookup = catalog ? { catalog } : {};
      const { out, result } = await dryRun(
        'scaffold-dry-run',
        repo(),
        input.environment,
        async (config) => void (await checkRequest(lookup, request, config, async (): Promise<BackstageCredentials> => credentials)),
        (files, today, config) => core.scaffold(request, files, today, config),
        true,
      );
      return { output: { registryId: out.registryId, entityName: out.entityName, ...result } };
    },
  });
}
