// `ecr:scaffold`: the request added to the catalog and the environment's tfvars of the checked-out
// infra repo. The core makes and verifies both edits; this file reads and writes the workspace.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../../core.js';
import {
  type EcrRegistrarOptions,
  configPathInput,
  loadConfig,
  readOptional,
  refuseIfRequested,
  repoPathInput,
  requestInput,
  requestOf,
  today,
  validOrThrow,
  writeEdits,
} from '../common.js';
import { callCore } from '../errors.js';
import { examples } from './scaffold.examples.js';

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

export function createEcrScaffoldAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:scaffold',
    description:
      'Adds an ECR registry to the governance catalog and envs/<env>/terraform.tfvars of the infra repo checked out in the workspace (e.g. by fetch:plain). Only the new lines are inserted; both edits are re-parsed and verified before anything is written. Re-running the same request changes nothing. A dry run returns the diff and writes nothing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: { ...requestInput, repoPath: repoPathInput, configPath: configPathInput },
      output: {
        registryId: (z) => z.string(),
        entityName: (z) => z.string(),
        changedFiles: (z) =>
          z.array(z.string()).describe('Paths inside the repo that were (or, in a dry run, would be) changed'),
        planCommand: (z) => z.string().describe('The targeted terraform plan for the new repository'),
        branchName: (z) => z.string().describe('registry/create-<name>'),
        prTitle: (z) => z.string(),
        prBody: (z) => z.string().describe('Markdown: the request, security controls, files, plan'),
        diff: (z) => z.string().describe('Unified diff of the edits (dry run only)').optional(),
      },
    },
    async handler(ctx) {
      const repoDir = resolveSafeChildPath(ctx.workspacePath, ctx.input.repoPath ?? '.');
      const config = await loadConfig(repoDir, options, ctx.input.configPath);
      const request = requestOf(ctx.input);

      // Validate before any path is built from the request: `environment: ../../x` stops here.
      validOrThrow(request, config);
      await refuseIfRequested(options, request.name, () => ctx.getInitiatorCredentials());
      // The paths are the core's (the environment is a configured one); each still goes through
      // resolveSafeChildPath.
      const rel = callCore('ecr:scaffold', () => core.requestPaths(request.environment ?? '', config));
      const abs = {
        catalog: resolveSafeChildPath(repoDir, rel.catalog),
        tfvars: resolveSafeChildPath(repoDir, rel.tfvars),
      };
      const files = { catalog: await readOptional(abs.catalog), tfvars: await readOptional(abs.tfvars) };
      // A tfvars file is created only where a Terraform root already is: in an environment's
      // missing directory it would be a lone file that nothing reads.
      if (files.tfvars === null && !(await isDirectory(path.dirname(abs.tfvars)))) {
        throw new InputError(`ecr:scaffold: ${core.missingTerraformRoot(rel.tfvars)}`);
      }

      const out = callCore('ecr:scaffold', () => core.scaffold(request, files, today(options), config));

      const { changedFiles, diff } = await writeEdits(ctx.isDryRun, ctx.logger, out, files, abs);
      if (ctx.isDryRun) {
        ctx.output('diff', diff);
      } else {
        ctx.logger.info(
          changedFiles.length
            ? `Added ${request.name} (${out.registryId}) to ${changedFiles.join(' and ')}`
            : `${request.name} is already registered; nothing changed`,
        );
      }
      ctx.output('registryId', out.registryId);
      ctx.output('entityName', out.entityName);
      ctx.output('changedFiles', changedFiles);
      ctx.output('planCommand', out.planCommand);
      ctx.output('branchName', out.pullRequest.branchName);
      ctx.output('prTitle', out.pullRequest.title);
      ctx.output('prBody', out.pullRequest.body);
    },
  });
}
