// A local GitHub API on 127.0.0.1 for the real Backstage backend's GitHub integration
// (`integrations.github[].apiBaseUrl`): it records every call the real clients make (Backstage's
// GitHub URL reader, Octokit in the scaffolder's GitHub actions) and answers from real git
// repositories on disk. No test framework here, so any test or benchmark can use it.
//
// What it answers:
// - the URL reader's `fetch:plain` of a repo: `GET /repos/{o}/{r}` (default branch),
//   `GET /repos/{o}/{r}/commits/{ref}/status` and `GET /repos/{o}/{r}/tarball/{sha}` (`git archive`);
// - `github:actions:dispatch`: `POST /repos/{o}/{r}/actions/workflows/{id}/dispatches`, 200 with
//   the run's details (`workflow_run_id`, `run_url`, `html_url`) as GitHub does when asked for
//   `return_run_details`, else 204;
// - `publish:github:pull-request` (octokit-plugin-create-pull-request): the repo, its GraphQL
//   branch query, blobs, trees and commits written into the repo with git itself, the branch ref,
//   the pull request; `github:issues:label`'s labels; the open pull requests of a branch
//   (`GET /repos/{o}/{r}/pulls?state=open&head=`), as `ecr:check-open-request` asks;
// - a file at a ref (`GET /repos/{o}/{r}/contents/{path}?ref=`, raw or JSON), as the catalog's URL
//   reader and the pull request plugin read it; a commit's tree (`GET /repos/{o}/{r}/git/trees/{sha}`,
//   recursive), as the URL reader's search lists a directory;
// - anything else: 404, recorded too, so a test sees what it did not expect.
// `routes` add or override answers: `[{method, path: RegExp, reply(call, match) => {status, body}}]`.
import { execFileSync } from 'node:child_process';
import http from 'node:http';

const git = (cwd, args, input, stderr = 'pipe') => execFileSync('git', args, { cwd, input, maxBuffer: 256 << 20, stdio: ['pipe', 'pipe', stderr] });

/**
 * Start the recorder. `repos`: `{'owner/name': gitDir}` (a repository with a work tree or bare).
 * Resolves `{apiBaseUrl, calls, find(method, pathRegExp), merge(repo, branch), stop()}`; it stops
 * by itself after `lifetimeMs`. `merge('owner/name', branch)` is a pull request merged on GitHub:
 * the default branch (main) moves to the branch, and the branch's open pull requests are closed.
 */
export async function startGithubRecorder({ repos = {}, routes = [], lifetimeMs = 300_000 } = {}) {
  const calls = [];
  let base = '';
  let nextRun = 7_000_001;
  let nextPull = 1;
  const prs = [];
  const repoDir = (o, r) => repos[`${o}/${r}`];
  const builtIn = [
    {
      method: 'GET',
      path: /^\/repos\/([^/]+)\/([^/]+)$/,
      reply: (_c, [, o, r]) =>
        repoDir(o, r) && { body: { full_name: `${o}/${r}`, default_branch: 'main', html_url: `https://github.com/${o}/${r}`, permissions: { pull: true, push: true, admin: false } } },
    },
    {
      // A file at a ref: raw when asked for (the URL reader), else GitHub's JSON; 404 when absent.
      method: 'GET',
      path: /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
      reply: (c, [, o, r, file]) => {
        const dir = repoDir(o, r);
        if (!dir) return undefined;
        let content;
        try {
          content = git(dir, ['show', `${c.query.ref ?? 'HEAD'}:${file}`], undefined, 'ignore');
        } catch {
          return { status: 404, body: { message: 'Not Found' } };
        }
        if (/raw/.test(c.accept ?? '')) return { type: 'text/plain', body: content };
        return { body: { type: 'file', path: file, encoding: 'base64', content: content.toString('base64') } };
      },
    },
    {
      method: 'GET',
      path: /^\/repos\/([^/]+)\/([^/]+)\/commits\/(.+)\/status$/,
      reply: (_c, [, o, r, ref]) => {
        const dir = repoDir(o, r);
        if (!dir) return undefined;
        const sha = git(dir, ['rev-parse', '--verify', `${decodeURIComponent(ref)}^{commit}`]).toString().trim();
        return { body: { sha, state: 'success', repository: { full_name: `${o}/${r}`, archive_url: `${base}/repos/${o}/${r}/{archive_format}{/ref}`, trees_url: `${base}/repos/${o}/${r}/git/trees{/sha}` } } };
      },
    },
    {
      // A commit's whole tree (`?recursive=true`), as the URL reader's search lists a directory.
      method: 'GET',
      path: /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/([0-9a-f]{40})$/,
      reply: (_c, [, o, r, sha]) => {
        const dir = repoDir(o, r);
        if (!dir) return undefined;
        const tree = git(dir, ['ls-tree', '-r', '-t', sha]).toString().split('\n').filter(Boolean).map((line) => {
          const [meta, path] = line.split('\t');
          const [mode, type, id] = meta.split(' ');
          return { path, mode, type, sha: id, url: `${base}/repos/${o}/${r}/git/${type}s/${id}` };
        });
        return { body: { sha, tree, truncated: false } };
      },
    },
    {
      method: 'GET',
      path: /^\/repos\/([^/]+)\/([^/]+)\/tarball\/([0-9a-f]{40})$/,
      reply: (_c, [, o, r, sha]) => {
        const dir = repoDir(o, r);
        if (!dir) return undefined;
        const tar = git(dir, ['archive', '--format=tar.gz', `--prefix=${o}-${r}-${sha.slice(0, 7)}/`, sha]);
        return { type: 'application/x-gzip', body: tar };
      },
    },
    {
      method: 'POST',
      path: /^\/repos\/([^/]+)\/([^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/,
      reply: (c, [, o, r]) => {
        if (!c.body?.return_run_details) return { status: 204 };
        const id = nextRun++;
        return { body: { workflow_run_id: id, run_url: `${base}/repos/${o}/${r}/actions/runs/${id}`, html_url: `https://github.com/${o}/${r}/actions/runs/${id}` } };
      },
    },
    ...pullRequestRoutes(repoDir, prs, () => nextPull++),
  ];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const call = { method: req.method, path: decodeURIComponent(url.pathname), query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, accept: req.headers.accept, body };
      calls.push(call);
      let answer;
      try {
        for (const route of [...routes, ...builtIn]) {
          const m = route.method === req.method || (route.method === 'GET' && req.method === 'HEAD') ? route.path.exec(call.path) : null;
          if (m && (answer = route.reply(call, m))) break;
        }
      } catch (e) {
        answer = { status: 500, body: { message: String(e.message ?? e) } };
      }
      answer ??= { status: 404, body: { message: 'Not Found' } };
      call.status = answer.status ?? 200;
      const isBuffer = Buffer.isBuffer(answer.body);
      res.writeHead(call.status, { 'content-type': answer.type ?? 'application/json' });
      res.end(answer.body === undefined ? undefined : isBuffer ? answer.body : JSON.stringify(answer.body));
    });
  });
  server.requestTimeout = 30_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${server.address().port}`;
  const stop = () => new Promise((resolve) => {
    clearTimeout(timer);
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
  const timer = setTimeout(stop, lifetimeMs);
  timer.unref();
  return {
    apiBaseUrl: base,
    calls,
    find: (method, path) => calls.filter((c) => c.method === method && path.test(c.path)),
    merge: (repo, branch) => {
      git(repos[repo], ['update-ref', 'refs/heads/main', `refs/heads/${branch}`]);
      const [owner] = repo.split('/');
      for (const p of prs) if (p.repo === repo && p.head === `${owner}:${branch}` && p.state === 'open') Object.assign(p, { state: 'closed', merged: true });
    },
    stop,
  };
}

/** The Git data and pull request calls of `publish:github:pull-request`, on the real repository. */
function pullRequestRoutes(repoDir, prs, pullNumber) {
  const dirOf = ([, o, r]) => repoDir(o, r);
  const r = (suffix) => new RegExp(`^\\/repos\\/([^/]+)\\/([^/]+)${suffix}$`);
  return [
    {
      method: 'GET',
      path: r('\\/commits'),
      reply: (c, m) => {
        const dir = dirOf(m);
        if (!dir) return undefined;
        const sha = git(dir, ['rev-parse', '--verify', `${c.query.sha ?? 'HEAD'}^{commit}`]).toString().trim();
        const tree = git(dir, ['rev-parse', `${sha}^{tree}`]).toString().trim();
        return { body: [{ sha, commit: { tree: { sha: tree } } }] };
      },
    },
    {
      method: 'POST',
      path: r('\\/git\\/blobs'),
      reply: (c, m) => {
        const dir = dirOf(m);
        const content = Buffer.from(c.body.content, c.body.encoding === 'base64' ? 'base64' : 'utf8');
        return dir && { status: 201, body: { sha: git(dir, ['hash-object', '-w', '--stdin'], content).toString().trim() } };
      },
    },
    {
      method: 'POST',
      path: r('\\/git\\/trees'),
      reply: (c, m) => {
        const dir = dirOf(m);
        if (!dir) return undefined;
        // The base tree with the entries replaced: a temporary index, as git itself would do it.
        const env = { ...process.env, GIT_INDEX_FILE: `${dir}/.git-recorder-index-${process.pid}` };
        const run = (args, input) => execFileSync('git', args, { cwd: dir, env, input });
        try {
          run(['read-tree', c.body.base_tree]);
          for (const e of c.body.tree) {
            if (e.sha === null) {
              run(['update-index', '--force-remove', e.path]);
              continue;
            }
            const sha = e.content === undefined ? e.sha : run(['hash-object', '-w', '--stdin'], e.content).toString().trim();
            run(['update-index', '--add', '--cacheinfo', `${e.mode},${sha},${e.path}`]);
          }
          return { status: 201, body: { sha: run(['write-tree']).toString().trim() } };
        } finally {
          execFileSync('rm', ['-f', env.GIT_INDEX_FILE]);
        }
      },
    },
    {
      method: 'POST',
      path: r('\\/git\\/commits'),
      reply: (c, m) => {
        const dir = dirOf(m);
        if (!dir) return undefined;
        const parents = (c.body.parents ?? []).flatMap((p) => ['-p', p]);
        const env = { ...process.env, GIT_AUTHOR_NAME: 'backstage', GIT_AUTHOR_EMAIL: 'backstage@example.com', GIT_COMMITTER_NAME: 'backstage', GIT_COMMITTER_EMAIL: 'backstage@example.com' };
        const sha = execFileSync('git', ['commit-tree', c.body.tree, ...parents], { cwd: dir, env, input: c.body.message }).toString().trim();
        return { status: 201, body: { sha } };
      },
    },
    {
      method: 'POST',
      path: r('\\/git\\/refs'),
      reply: (c, m) => {
        const dir = dirOf(m);
        if (!dir) return undefined;
        git(dir, ['update-ref', c.body.ref, c.body.sha]);
        return { status: 201, body: { ref: c.body.ref, object: { sha: c.body.sha } } };
      },
    },
    {
      method: 'PATCH',
      path: r('\\/git\\/refs\\/(.+)'),
      reply: (c, m) => {
        const dir = dirOf(m);
        if (!dir) return undefined;
        git(dir, ['update-ref', `refs/${m[3]}`, c.body.sha]);
        return { body: { ref: `refs/${m[3]}`, object: { sha: c.body.sha } } };
      },
    },
    {
      // The one GraphQL query of the pull request plugin: does the branch exist, with an open PR?
      method: 'POST',
      path: /^\/graphql$/,
      reply: (c) => {
        const { owner, repo, head } = c.body?.variables ?? {};
        const dir = repoDir(owner, repo);
        if (!dir) return undefined;
        let exists = true;
        try {
          git(dir, ['rev-parse', '--verify', `refs/heads/${head}`], undefined, 'ignore');
        } catch {
          exists = false;
        }
        const open = prs.filter((p) => p.repo === `${owner}/${repo}` && p.head === `${owner}:${head}` && p.state === 'open');
        const edges = open.map((p) => ({ node: { id: `PR_${p.number}`, number: p.number, url: p.html_url } }));
        return { body: { data: { repository: { ref: exists ? { associatedPullRequests: { edges } } : null } } } };
      },
    },
    {
      // The pull requests of the repository, filtered as GitHub does by `state` (default open)
      // and `head` (`owner:branch`).
      method: 'GET',
      path: r('\\/pulls'),
      reply: (c, [, o, rr]) => {
        if (!repoDir(o, rr)) return undefined;
        const state = c.query.state ?? 'open';
        const found = prs.filter((p) => p.repo === `${o}/${rr}` && (state === 'all' || p.state === state) && (c.query.head === undefined || p.head === c.query.head));
        return { body: found.slice(0, Number(c.query.per_page ?? 30)).map((p) => ({ number: p.number, state: p.state, html_url: p.html_url, head: { label: p.head }, base: { ref: p.base } })) };
      },
    },
    {
      method: 'POST',
      path: r('\\/pulls'),
      reply: (c, [, o, rr]) => {
        if (!repoDir(o, rr)) return undefined;
        const number = pullNumber();
        const pr = { number, ...c.body, repo: `${o}/${rr}`, state: 'open', html_url: `https://github.com/${o}/${rr}/pull/${number}`, labels: [] };
        prs.push(pr);
        return { status: 201, body: pr };
      },
    },
    {
      method: 'POST',
      path: r('\\/issues\\/(\\d+)\\/labels'),
      reply: (c, m) => {
        const pr = prs.find((p) => p.number === Number(m[3]));
        if (!pr) return undefined;
        pr.labels.push(...(c.body.labels ?? []).map((name) => ({ name })));
        return { body: pr.labels };
      },
    },
  ];
}
