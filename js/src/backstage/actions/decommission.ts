// `ecr:decommission`: a registry retired (day 2): its tfvars entry removed, so that Terraform
// deletes the repository and its images, and its catalog entry kept as `decommissioned`.
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../../core.js';
import { type EcrRegistrarOptions, configPathInput, repoPathInput } from '../common.js';
import { day2Output, runDay2 } from '../day2.js';
import { examples } from './decommission.examples.js';

export function createEcrDecommissionAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:decommission',
    description:
      "Retires an ECR registry: its entry is removed from the environment's tfvars (applying that deletes the repository and every image in it) and its catalog entry stays with status: decommissioned and the date. Verified like ecr:scaffold; a second run changes nothing. The PR body warns that the images are deleted.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: (z) => z.string().describe('Repository name of the registry'),
        environment: (z) => z.string().describe("The registry's environment (as in its catalog entry)"),
        repoPath: repoPathInput,
        configPath: configPathInput,
      },
      output: day2Output,
    },
    async handler(ctx) {
      const request = { name: ctx.input.name, environment: ctx.input.environment };
      await runDay2(ctx, options, 'ecr:decommission', (files, today, config) => core.decommission(request, files, today, config), 'Decommissioned');
    },
  });
}
