// `ecr:retire-files`: which of a registry's files a checked-out repository has, before a pull
// request deletes them (the Crossplane path of ecr-decommission). A name with none of them was
// never created on that path, or is retired already: refused, so no empty pull request is opened.
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promises as fs } from 'node:fs';
import * as core from '../../core.js';
import { type EcrRegistrarOptions, configPathInput, openRepo, repoPathInput } from '../common.js';
import { invalidRequest, userFacing } from '../errors.js';
import { examples } from './retireFiles.examples.js';

export function createEcrRetireFilesAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:retire-files',
    description:
      "Checks which of a registry's files (e.g. its Crossplane manifests, Argo CD Application and entity) the checked-out repository has, for publish:github:pull-request's filesToDelete. Refuses a valid name with none of them (nothing to retire) and a path that is not a regular file; reads no file's content.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: (z) => z.string().describe('Repository name, e.g. payments-api'),
        paths: (z) => z.array(z.string()).min(1).max(20).describe('The files, relative to repoPath'),
        repoPath: repoPathInput,
        configPath: configPathInput,
      },
      output: {
        paths: (z) => z.array(z.string()).describe('The given paths the repository has, in the order given'),
      },
    },
    async handler(ctx) {
      await userFacing(options.logger, async () => {
        const { repoDir, config } = await openRepo(ctx, options);
        const { name, paths } = ctx.input;
        // The name goes into the paths: only a name the core accepts.
        const problems = core.validateField('name', name, config);
        if (problems.length > 0) throw invalidRequest(problems);
        const present: string[] = [];
        for (const rel of paths) {
          const stat = await fs.lstat(resolveSafeChildPath(repoDir, rel)).catch((e: NodeJS.ErrnoException) => {
            if (e.code === 'ENOENT') return null;
            throw e;
          });
          if (stat === null) continue;
          if (!stat.isFile()) {
            throw invalidRequest([
              { field: 'paths', code: 'not_regular_file', message: `${JSON.stringify(rel)} is not a regular file (a link, a directory, …); it is not deleted through a pull request` },
            ]);
          }
          present.push(rel);
        }
        if (present.length === 0) {
          throw invalidRequest([
            {
              field: 'name',
              code: 'nothing_to_retire',
              message: `${JSON.stringify(name)} has none of its files in the repository (${paths.map((p) => JSON.stringify(p)).join(', ')}): it was not created on this path, or is retired already; nothing to decommission`,
            },
          ]);
        }
        ctx.logger.info(`Found ${present.length} of ${paths.length} files of ${name}`);
        ctx.output('paths', present);
      });
    },
  });
}
