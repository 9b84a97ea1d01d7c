// Scaffolder actions `ecr:validate` and `ecr:scaffold`. All decisions (validation, the edits and
// their verification, the PR text) are made by the Rust core; this file only reads and writes the
// workspace.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import * as core from '../core.js';

const EXAMPLE_INPUT = {
  name: 'payments-api',
  owner: 'app-team',
  requester: 'daniel-deans',
  domain: 'delivery',
  environment: 'dev',
  risk: 'low',
};

const yamlExample = (action, input) =>
  [
    'steps:',
    `  - id: ${action.replace(':', '-')}`,
    `    action: ${action}`,
    '    input:',
    ...Object.entries(input).map(([k, v]) => `      ${k}: ${v}`),
  ].join('\n');

/** The request fields, as zod schema factories (the current createTemplateAction form). */
const requestInput = {
  name: (z) => z.string().describe('Repository name, e.g. payments-api'),
  owner: (z) => z.string().describe('Owning team'),
  requester: (z) => z.string().optional().describe('Requesting user'),
  domain: (z) => z.string().optional().describe('Domain of the registry'),
  environment: (z) => z.string().describe('Environment: a directory under envs/'),
  risk: (z) => z.string().describe('Risk tier: low, medium or high by default'),
  id: (z) => z.string().optional().describe('Explicit governance id (default REGISTRY_<NAME>)'),
};

/** Only the request's own fields, without template extras; `undefined` for absent optional ones. */
function requestOf(input) {
  const request = {};
  for (const key of Object.keys(requestInput)) {
    if (input[key] !== undefined && input[key] !== null) request[key] = String(input[key]);
  }
  return request;
}

/** Every validation problem, one per line, as the CLI prints them. */
export function describeErrors(errors) {
  return errors.map((e) => `  ${e.field}: ${e.message} [${e.code}]`).join('\n');
}

/** The validation report of a valid request; an invalid one fails the step with every problem. */
function validOrThrow(request, config) {
  const report = core.validateRequest(request, config);
  if (!report.valid) {
    throw new Error(`The ECR registry request is invalid:\n${describeErrors(report.errors)}`);
  }
  return report;
}

/** Run a core call; its error becomes one Error that lists the core's field errors too. */
function callCore(action, fn) {
  try {
    return fn();
  } catch (e) {
    const detail = e.errors?.length ? `\n${describeErrors(e.errors)}` : '';
    throw new Error(`${action}: ${e.message}${detail}`);
  }
}

async function readOptional(file) {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

/** Write through a temporary file in the same directory and rename: never a half-written file. */
async function writeAtomic(file, text) {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(tmp, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * The config for a workspace: `<repo>/<configPath>` when it exists, else `options.defaults`, else
 * the platform defaults (`null` lets the core use its own).
 */
async function loadConfig(repoDir, options, configPath) {
  const file = resolveSafeChildPath(repoDir, configPath ?? options.configPath ?? 'registrar.yaml');
  const text = await readOptional(file);
  if (text !== null) {
    try {
      return core.configFromYaml(text);
    } catch (e) {
      throw new Error(`${path.relative(repoDir, file)}: ${e.message}`);
    }
  }
  return options.defaults ? { ...core.defaultConfig(), ...options.defaults } : null;
}

function today(options) {
  return options.today ? options.today() : new Date().toISOString().slice(0, 10);
}

/**
 * @param {import('./index.js').EcrRegistrarOptions} [options]
 */
export function createEcrValidateAction(options = {}) {
  return createTemplateAction({
    id: 'ecr:validate',
    description:
      'Validates an ECR registry request with the same rules as the wizard and the CLI (platform, AWS and Backstage naming rules; owners, environments, risk tiers). Fails with every problem listed.',
    examples: [
      { description: 'Validate the wizard inputs', example: yamlExample('ecr:validate', EXAMPLE_INPUT) },
    ],
    supportsDryRun: true,
    schema: {
      input: { ...requestInput, configPath: (z) => z.string().optional().describe('Config file in the workspace (default registrar.yaml)') },
      output: {
        registryId: (z) => z.string().describe('Governance id, e.g. REGISTRY_PAYMENTS_API'),
        entityName: (z) => z.string().describe('Backstage entity name, e.g. ecr-payments-api'),
      },
    },
    async handler(ctx) {
      const config = await loadConfig(ctx.workspacePath, options, ctx.input.configPath);
      const report = validOrThrow(requestOf(ctx.input), config);
      ctx.logger.info(`Request for ${ctx.input.name} is valid (${report.registryId})`);
      ctx.output('registryId', report.registryId);
      ctx.output('entityName', `ecr-${ctx.input.name}`);
    },
  });
}

/**
 * @param {import('./index.js').EcrRegistrarOptions} [options]
 */
export function createEcrScaffoldAction(options = {}) {
  return createTemplateAction({
    id: 'ecr:scaffold',
    description:
      'Adds an ECR registry to the governance catalog and envs/<env>/terraform.tfvars of the infra repo checked out in the workspace (e.g. by fetch:plain). Only the new lines are inserted; both edits are re-parsed and verified before anything is written. Re-running the same request changes nothing. A dry run returns the diff and writes nothing.',
    examples: [
      {
        description: 'Edit the infra repo fetched into ./infra, then open a pull request',
        example: [
          yamlExample('ecr:scaffold', { ...EXAMPLE_INPUT, repoPath: 'infra' }),
          '  - id: publish',
          '    action: publish:github:pull-request',
          '    input:',
          '      repoUrl: github.com?owner=acme&repo=platform-infra',
          '      sourcePath: infra',
          "      branchName: ${{ steps['ecr-scaffold'].output.branchName }}",
          "      title: ${{ steps['ecr-scaffold'].output.prTitle }}",
          "      description: ${{ steps['ecr-scaffold'].output.prBody }}",
          '      labels: [ecr-registry]',
        ].join('\n'),
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        ...requestInput,
        repoPath: (z) =>
          z.string().optional().describe('Directory of the infra repo inside the workspace (default: the workspace itself)'),
        configPath: (z) => z.string().optional().describe('Config file inside the repo (default registrar.yaml)'),
      },
      output: {
        registryId: (z) => z.string(),
        entityName: (z) => z.string(),
        changedFiles: (z) => z.array(z.string()).describe('Paths inside the repo that were (or, in a dry run, would be) changed'),
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
      const effective = config ?? core.defaultConfig();
      const rel = {
        catalog: effective.catalogPath,
        tfvars: effective.tfvarsPath.replaceAll('{environment}', request.environment),
      };
      // Every path through resolveSafeChildPath, even after validation.
      const abs = {
        catalog: resolveSafeChildPath(repoDir, rel.catalog),
        tfvars: resolveSafeChildPath(repoDir, rel.tfvars),
      };
      const files = { catalog: await readOptional(abs.catalog), tfvars: await readOptional(abs.tfvars) };

      const out = callCore('ecr:scaffold', () => core.scaffold(request, files, today(options), config));

      const changed = ['catalog', 'tfvars'].filter((k) => out[k].changed);
      const changedFiles = changed.map((k) => out[k].path);
      if (ctx.isDryRun) {
        const diff = changed.map((k) => core.unifiedDiff(out[k].path, files[k], out[k].text)).join('');
        ctx.logger.info(diff ? `Dry run; would change:\n${diff}` : 'Dry run; nothing to change');
        ctx.output('diff', diff);
      } else {
        // Both edits were verified by the core before either file is touched.
        for (const k of changed) await writeAtomic(abs[k], out[k].text);
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

/**
 * `ecr:render-crossplane`: writes the Crossplane `Repository` and `LifecyclePolicy` for a request
 * into the workspace (the template guide's Crossplane path), controls from the risk tier.
 * @param {import('./index.js').EcrRegistrarOptions} [options]
 */
export function createEcrRenderCrossplaneAction(options = {}) {
  return createTemplateAction({
    id: 'ecr:render-crossplane',
    description:
      'Renders the Crossplane Repository and LifecyclePolicy (ecr.aws.m.upbound.io/v1beta1) for an ECR registry request into one YAML file in the workspace. Encryption, tag mutability, scanning and retention follow the risk tier; the lifecycle policy is validated against AWS rules.',
    examples: [
      {
        description: 'Write manifests/payments-api.yaml for a high-risk repository',
        example: yamlExample('ecr:render-crossplane', { ...EXAMPLE_INPUT, risk: 'high', region: 'eu-west-2', kmsKeyRef: 'ecr-key', targetPath: 'manifests/payments-api.yaml' }),
      },
    ],
    supportsDryRun: true,
    schema: {
      input: {
        ...requestInput,
        region: (z) => z.string().describe('AWS region, e.g. eu-west-2'),
        namespace: (z) => z.string().optional().describe('Namespace of both objects (default crossplane-system)'),
        system: (z) => z.string().optional().describe('The system tag (default: domain, else container-registry)'),
        keep: (z) => z.number().int().optional().describe("Images to keep (default: the risk tier's retention)"),
        expireUntaggedDays: (z) => z.number().int().optional().describe('Expire untagged images after this many days'),
        kmsKeyRef: (z) => z.string().optional().describe('Crossplane KMS Key for KMS tiers (default: AWS managed key)'),
        targetPath: (z) => z.string().optional().describe('File in the workspace (default crossplane/<name>.yaml)'),
        configPath: (z) => z.string().optional().describe('Config file in the workspace (default registrar.yaml)'),
      },
      output: {
        path: (z) => z.string().describe('The file written, relative to the workspace'),
        manifests: (z) => z.string().describe('The YAML written'),
      },
    },
    async handler(ctx) {
      const config = await loadConfig(ctx.workspacePath, options, ctx.input.configPath);
      const request = requestOf(ctx.input);
      const crossplane = {};
      for (const key of ['region', 'namespace', 'system', 'keep', 'expireUntaggedDays', 'kmsKeyRef']) {
        if (ctx.input[key] !== undefined && ctx.input[key] !== null) crossplane[key] = ctx.input[key];
      }
      const yaml = callCore('ecr:render-crossplane', () => core.renderCrossplaneYaml(request, crossplane, config));
      // The name is validated (platform, AWS, Kubernetes rules) before it becomes a path.
      const rel = ctx.input.targetPath ?? `crossplane/${request.name}.yaml`;
      const file = resolveSafeChildPath(ctx.workspacePath, rel);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run; would write ${rel}:\n${yaml}`);
      } else {
        await writeAtomic(file, yaml);
        ctx.logger.info(`Wrote ${rel}`);
      }
      ctx.output('path', rel);
      ctx.output('manifests', yaml);
    },
  });
}
