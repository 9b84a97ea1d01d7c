// `ecr:check-open-request`: refuse a request whose pull request is still open, before anything is
// rendered or written to GitHub. The render actions see the GitOps repository's main branch only,
// where a request waiting for review is not yet; publish:github:pull-request would then write its
// blobs, tree and commit and fail on the open pull request of the same branch (`update: true` would
// overwrite that request's files instead). Asked through the backend's GitHub integration, as the
// publish step itself asks.
import { InputError } from '@backstage/errors';
import { DefaultGithubCredentialsProvider } from '@backstage/integration';
import { createTemplateAction, parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import type { EcrRegistrarOptions } from '../common.js';
import { invalidRequest, userFacing } from '../errors.js';
import { examples } from './checkOpenRequest.examples.js';

/** As long as Backstage's GitHub actions wait for GitHub (their Octokit `timeout`). */
const TIMEOUT_MS = 60_000;

/** A pull request's address as GitHub gives it; anything else is not repeated to people. */
const PULL_URL = /^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/pull\/[0-9]+$/;

export function createEcrCheckOpenRequestAction(options: EcrRegistrarOptions = {}) {
  return createTemplateAction({
    id: 'ecr:check-open-request',
    description:
      "Refuses a request whose pull request is still open: asks GitHub (through the backend's GitHub integration) for an open pull request from branchName in repoUrl, the branch the template's publish:github:pull-request step opens it from. Put it before the steps that render or publish.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: (z) => z.string().describe("The repository the pull request goes to, as publish:github:pull-request's repoUrl (github.com?owner=acme&repo=platform-gitops)"),
        branchName: (z) => z.string().min(1).describe("The pull request's branch, as publish:github:pull-request's branchName (registry/create-payments-api)"),
        token: (z) => z.string().optional().describe('The token publish:github:pull-request is given, if any (default: the integration\'s credentials)'),
      },
    },
    async handler(ctx) {
      await userFacing(options.logger, async () => {
        const { integrations } = options;
        if (!integrations) throw new Error('ecr:check-open-request needs the backend\'s SCM integrations (the module passes them; createEcrActions({ integrations }) elsewhere)');
        const { repoUrl, branchName, token: providedToken } = ctx.input;
        const { host, owner, repo } = parseRepoUrl(repoUrl, integrations);
        if (!owner) throw new InputError(`repoUrl ${JSON.stringify(repoUrl)} names no owner`);
        const apiBaseUrl = integrations.github.byHost(host)?.config.apiBaseUrl;
        if (!apiBaseUrl) throw new InputError(`No GitHub integration with an apiBaseUrl for host ${JSON.stringify(host)}; configure integrations.github`);
        // The publish step's credentials: the token it is given, else the integration's.
        const token =
          providedToken ||
          (
            await (options.githubCredentialsProvider ?? DefaultGithubCredentialsProvider.fromIntegrations(integrations)).getCredentials({
              url: `https://${host}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`,
            })
          ).token;
        if (!token) throw new InputError(`No GitHub token for ${JSON.stringify(`${host}/${owner}/${repo}`)}; configure the GitHub integration's token or app`);

        // The open pull requests whose head is the branch, in the repository itself (where
        // publish:github:pull-request pushes the branch when the credentials may push).
        const url = new URL(`${apiBaseUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/pulls`);
        url.search = new URLSearchParams({ state: 'open', head: `${owner}:${branchName}`, per_page: '1' }).toString();
        const res = await fetch(url, {
          headers: { accept: 'application/vnd.github+json', authorization: `token ${token}`, 'user-agent': 'ecr-registrar', 'x-github-api-version': '2022-11-28' },
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const text = await res.text();
        const where = JSON.stringify(`${owner}/${repo}`);
        if (!res.ok) {
          let said = '';
          try {
            const m = (JSON.parse(text) as { message?: unknown }).message;
            if (typeof m === 'string') said = `: ${JSON.stringify(m.slice(0, 200))}`;
          } catch {
            // not GitHub's JSON
          }
          throw new Error(`ecr:check-open-request: GitHub answered ${res.status} when asked for the open pull requests of ${where}${said}`);
        }
        let pulls: unknown;
        try {
          pulls = JSON.parse(text);
        } catch {
          pulls = undefined;
        }
        if (!Array.isArray(pulls)) throw new Error(`ecr:check-open-request: GitHub's list of the pull requests of ${where} is not a list`);
        const open = pulls[0] as { number?: unknown; html_url?: unknown } | undefined;
        if (open !== undefined) {
          // Only a number and an address of the expected shape reach the message: nothing GitHub
          // says can break the line, a terminal or the Markdown it is shown in.
          const number = Number.isSafeInteger(open.number) ? `#${String(open.number)}` : 'a pull request';
          const link = typeof open.html_url === 'string' && PULL_URL.test(open.html_url) ? ` (${open.html_url})` : '';
          throw invalidRequest([
            {
              field: 'branchName',
              code: 'already_requested',
              message: `${JSON.stringify(branchName)} already has an open pull request in ${where}, ${number}${link}: the same request is waiting for review; merge or close that pull request before requesting again`,
            },
          ]);
        }
        ctx.logger.info(`No open pull request from ${branchName} in ${owner}/${repo}`);
      });
    },
  });
}
