// Shared by the Node tests: where things are and whole-tree snapshots (the TypeScript test helpers,
// js/src/testing, compiled by `npm run build`), and the expected catalog after a request.
export { bin, root, tree } from '../../js/dist/testing/workspace.js';

/** The governance id, computed here without the core (an independent oracle). */
export const regId = (name) => 'REGISTRY_' + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** What a catalog must read as after `request` on `today`: the old one plus the entry, last. */
export function withCatalogEntry(old, request, today) {
  const out = structuredClone(old);
  out.last_updated = today;
  out.repositories ??= {};
  const metadata = { id: regId(request.name), owner: request.owner };
  if (request.requester) metadata.requested_by = request.requester;
  if (request.domain) metadata.domain = request.domain;
  Object.assign(metadata, { risk: request.risk, environment: request.environment, created_date: today, status: 'pending' });
  out.repositories[request.name] = { metadata };
  return out;
}
