// `ecr:decommission`: a registry retired (day 2): its tfvars entry removed, so that Terraform
// deletes the repository and its images, and its catalog entry kept as `decommissioned`. The core
// makes and verifies both edits; ../request.ts reads and writes the workspace.
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../../core.js';
import { type EcrRegistrarOptions, configPathInput, repoPathInput } from '../common.js';
import { day2Operation, day2Output, registryInput, runRequest } from '../request.js';
import { userFacing } from '../errors.js';
import { examples } from './decommission.examples.js';

export function createEcrDecommissionAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:decommission',
    description:
      "Retires an ECR registry: its entry is removed from the environment's tfvars (applying that deletes the repository and every image in it) and its catalog entry stays with status: decommissioned and the date. Verified like ecr:scaffold; a second run changes nothing. The PR body warns that the images are deleted.",
    examples,
    supportsDryRun: true,
    schema: {
      input: { ...registryInput, repoPath: repoPathInput, configPath: configPathInput },
      output: day2Output,
    },
    async handler(ctx) {
      await userFacing(options.logger, async () => {
        const request = { name: ctx.input.name, environment: ctx.input.environment };
        await runRequest(
          ctx,
          options,
          day2Operation('ecr:decommission', request, 'Decommissioned', (files, today, config) => core.decommission(request, files, today, config)),
        );
      });
    },
  });
}
