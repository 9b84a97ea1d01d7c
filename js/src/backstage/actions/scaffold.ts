// `ecr:scaffold`: the request added to the catalog and the environment's tfvars of the checked-out
// infra repo. The core makes and verifies both edits; ../request.ts reads and writes the workspace.
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../../core.js';
import {
  type EcrRegistrarOptions,
  checkRequest,
  configPathInput,
  repoPathInput,
  requestInput,
  requestOf,
} from '../common.js';
import { requestOutput, runRequest } from '../request.js';
import { userFacing } from '../errors.js';
import { examples } from './scaffold.examples.js';

export function createEcrScaffoldAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:scaffold',
    description:
      'Adds an ECR registry to the governance catalog and envs/<env>/terraform.tfvars of the infra repo checked out in the workspace (e.g. by fetch:plain). Only the new lines are inserted; both edits are re-parsed and verified before anything is written. Re-running the same request changes nothing. A dry run (as the Template Editor runs one) outputs the diff and writes only into its throwaway workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: { ...requestInput, repoPath: repoPathInput, configPath: configPathInput },
      output: {
        registryId: (z) => z.string(),
        entityName: (z) => z.string(),
        ...requestOutput({
          planCommand: 'The targeted terraform plan for the new repository',
          branchName: 'registry/create-<name>',
          prBody: 'Markdown: the request, security controls, files, plan',
        }),
      },
    },
    async handler(ctx) {
      await userFacing(options.logger, async () => {
        const request = requestOf(ctx.input);
        await runRequest(ctx, options, {
          id: 'ecr:scaffold',
          environment: request.environment ?? '',
          // The whole request, before any path is built from it: `environment: ../../x` stops here.
          check: (config) => checkRequest(options, request, config, () => ctx.getInitiatorCredentials()),
          createsTfvars: true,
          edit: (files, today, config) => core.scaffold(request, files, today, config),
          done: (out, changedFiles) =>
            changedFiles.length
              ? `Added ${request.name} (${out.registryId}) to ${changedFiles.join(' and ')}`
              : `${request.name} is already registered; nothing changed`,
          outputs: (out) => ({ registryId: out.registryId, entityName: out.entityName }),
        });
      });
    },
  });
}
