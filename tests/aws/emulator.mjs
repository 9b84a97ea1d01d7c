// A real ECR emulator for the sync tests and benchmarks: moto server (PyPI moto[server]) on
// 127.0.0.1, behind a small proxy that pages DescribeRepositories the way AWS does (moto returns
// every repository at once and ignores maxResults/nextToken) and can inject throttling, 5xx
// answers, AccessDenied and dropped connections.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

const TARGET = 'AmazonEC2ContainerRegistry_V20150921.';
export const REGION = 'eu-west-2';
export const ACCOUNT = '123456789012';
// moto reads the region from the credential scope; it does not check signatures.
const AUTH = `AWS4-HMAC-SHA256 Credential=testing/20261121/${REGION}/ecr/aws4_request, SignedHeaders=host, Signature=0`;

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Start moto server; resolves when it answers. */
export async function startMoto() {
  const port = await freePort();
  const proc = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`${url}/moto-api/`);
      return { url, port, stop: () => proc.kill('SIGTERM') };
    } catch {
      if (proc.exitCode !== null) throw new Error(`moto server exited: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  proc.kill();
  throw new Error(`moto server did not start: ${stderr}`);
}

/**
 * Credentials for another account: moto answers STS AssumeRole with a key that it then maps to
 * the role's account (it checks no signature). Returns the access key id.
 */
export async function assumeRole(url, roleArn) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTH.replace('/ecr/', '/sts/') },
    body: new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: roleArn, RoleSessionName: 'setup' }),
  });
  const text = await res.text();
  const key = /<AccessKeyId>([^<]+)</.exec(text)?.[1];
  if (!res.ok || !key) throw new Error(`AssumeRole ${roleArn}: ${res.status} ${text}`);
  return key;
}

/** Call the ECR JSON API of `url` directly (setup only), as `as.key` in `as.region` if given. */
export async function ecr(url, operation, body, as = {}) {
  const auth = as.key ? `AWS4-HMAC-SHA256 Credential=${as.key}/20261121/${as.region ?? REGION}/ecr/aws4_request, SignedHeaders=host, Signature=0` : AUTH;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': TARGET + operation, authorization: auth },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${operation}: ${res.status} ${text}`);
  return JSON.parse(text || '{}');
}

/** Create `names` (with `tags(name)`), `parallel` at a time. */
export async function createRepositories(url, names, tags = () => [], parallel = 8) {
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      await ecr(url, 'CreateRepository', { repositoryName: name, tags: tags(name) });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/**
 * The paging, fault-injecting proxy. `faults` is mutable: `{throttle, error5xx, drop, deny, expired}` each
 * `{key: count}` (a count of requests to answer that way, or Infinity), where a key is an operation
 * or `*`, optionally scoped to one target as `ACCOUNT:op` or `ACCOUNT/REGION:op` (`*` for any
 * operation). The proxy knows each request's account from the keys STS AssumeRole handed out
 * through it (else moto's default account) and its region from the signature's credential scope.
 * `rate`, when set to `{perSecond, burst}`, throttles each account and region on its own like AWS's
 * token buckets (ThrottlingException "Rate exceeded"); `throttled` counts those answers per target.
 * `calls` counts requests per operation (and per `ACCOUNT/REGION` in `callsBy`); `pages` records
 * each DescribeRepositories page size asked for.
 */
export async function startProxy(upstream) {
  const state = { faults: {}, calls: {}, callsBy: {}, pages: [], rate: null, throttled: {} };
  const accountOf = new Map(); // access key id -> account, learned from AssumeRole answers
  const buckets = new Map(); // ACCOUNT/REGION -> { tokens, at }
  const allowed = (scope) => {
    if (!state.rate) return true;
    const now = performance.now();
    const b = buckets.get(scope) ?? { tokens: state.rate.burst, at: now };
    b.tokens = Math.min(state.rate.burst, b.tokens + ((now - b.at) / 1000) * state.rate.perSecond);
    b.at = now;
    buckets.set(scope, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
  const take = (kind, op, account, region) => {
    const f = state.faults[kind];
    if (!f) return false;
    const scoped = [`${account}/${region}:${op}`, `${account}/${region}:*`, `${account}:${op}`, `${account}:*`];
    for (const key of [...scoped, op, '*']) {
      if (f[key] > 0) {
        f[key] -= 1;
        return true;
      }
    }
    return false;
  };
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks).toString('utf8');
    const sts = !req.headers['x-amz-target'];
    const op = sts ? (new URLSearchParams(body).get('Action') ?? '') : String(req.headers['x-amz-target']).replace(TARGET, '');
    const scope = /Credential=([^/,\s]+)\/\d+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
    const account = accountOf.get(scope?.[1]) ?? ACCOUNT;
    const region = scope?.[2] ?? REGION;
    const target = `${account}/${region}`;
    state.calls[op] = (state.calls[op] ?? 0) + 1;
    state.callsBy[target] ??= {};
    state.callsBy[target][op] = (state.callsBy[target][op] ?? 0) + 1;
    const fail = (status, type, message) => {
      if (sts) {
        res.writeHead(status, { 'content-type': 'text/xml' });
        return res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${type}</Code><Message>${message}</Message></Error></ErrorResponse>`);
      }
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
      res.end(JSON.stringify({ __type: type, message }));
    };
    if (take('drop', op, account, region)) return req.socket.destroy();
    if (take('throttle', op, account, region) || (!sts && !allowed(target))) {
      state.throttled[target] = (state.throttled[target] ?? 0) + 1;
      return fail(400, 'ThrottlingException', 'Rate exceeded');
    }
    if (take('error5xx', op, account, region)) return fail(500, 'ServerException', 'Internal error (injected)');
    if (take('expired', op, account, region)) return fail(400, 'ExpiredTokenException', 'The security token included in the request is expired');
    if (take('deny', op, account, region)) {
      return fail(400, 'AccessDeniedException', `User: arn:aws:iam::${account}:user/ci is not authorized to perform: ecr:${op}`);
    }
    const headers = { ...req.headers };
    delete headers.host;
    delete headers['content-length'];
    let forward = body;
    let page = null;
    if (op === 'DescribeRepositories') {
      const input = JSON.parse(body || '{}');
      page = { max: Math.min(input.maxResults ?? 100, 1000), start: input.nextToken ? Number(Buffer.from(input.nextToken, 'base64').toString()) : 0 };
      state.pages.push(page.max);
      delete input.maxResults;
      delete input.nextToken;
      forward = JSON.stringify(input);
    }
    const up = await fetch(upstream, { method: 'POST', headers, body: forward });
    let text = await up.text();
    if (op === 'AssumeRole' && up.ok) {
      const key = /<AccessKeyId>([^<]+)</.exec(text)?.[1];
      const roleAccount = /^arn:aws:iam::(\d{12}):/.exec(new URLSearchParams(body).get('RoleArn') ?? '')?.[1];
      if (key && roleAccount) accountOf.set(key, roleAccount);
    }
    if (page && up.ok) {
      const all = JSON.parse(text);
      const repos = all.repositories ?? [];
      const slice = repos.slice(page.start, page.start + page.max);
      const out = { repositories: slice };
      if (page.start + page.max < repos.length) out.nextToken = Buffer.from(String(page.start + page.max)).toString('base64');
      text = JSON.stringify(out);
    }
    res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'application/x-amz-json-1.1' });
    res.end(text);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, state, stop: () => new Promise((r) => server.close(r)) };
}
