// `ecr:update`: a registry's owner, risk tier, requester or domain changed in place in the catalog
// and the environment's tfvars (day 2). The core makes and verifies both edits; ../request.ts
// reads and writes the workspace.
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../../core.js';
import type { UpdateRequest } from '../../core.js';
import { type EcrRegistrarOptions, configPathInput, repoPathInput } from '../common.js';
import { day2Operation, day2Output, registryInput, runRequest } from '../request.js';
import { userFacing } from '../errors.js';
import { examples } from './update.examples.js';

export function createEcrUpdateAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:update',
    description:
      "Changes an existing ECR registry's owner, risk tier, requester or domain: the catalog entry's fields and the tfvars metadata change in place, nothing else. The merged request must pass the rules; both edits are re-parsed and verified before anything is written, and the same update again changes nothing. The PR body says what a tier change means.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...registryInput,
        owner: (z) => z.string().optional().describe('New owning team'),
        risk: (z) => z.string().optional().describe('New risk tier'),
        requester: (z) => z.string().optional().describe('New requester'),
        domain: (z) => z.string().optional().describe('New domain'),
        repoPath: repoPathInput,
        configPath: configPathInput,
      },
      output: day2Output,
    },
    async handler(ctx) {
      await userFacing(options.logger, async () => {
        const { name, environment, owner, risk, requester, domain } = ctx.input;
        const request: UpdateRequest = { name, environment };
        // Empty wizard fields mean "unchanged".
        if (owner) request.owner = owner;
        if (risk) request.risk = risk;
        if (requester) request.requester = requester;
        if (domain) request.domain = domain;
        await runRequest(
          ctx,
          options,
          day2Operation('ecr:update', { name, environment }, 'Updated', (files, today, config) => core.update(request, files, today, config)),
        );
      });
    },
  });
}
