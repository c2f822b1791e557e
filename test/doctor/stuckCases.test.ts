import request from 'supertest';
import { useApiHarness } from '../api/support';

/**
 * `GET /v1/ops/stuck-cases` (docs/operations.md): a case the case doctor could not mend is listed for ops managers, and
 * only for them; a mended one is not listed (it needs nobody).
 */

const h = useApiHarness();
beforeAll(async () => {
  const stuck = h.db.stuckCases;
  const base = {
    workflowType: 'complaintWorkflow',
    runId: 'run-1',
    failure: '[TMPRL1100] Nondeterminism error: Update machine does not handle this event',
    attempt: 7,
    firstSeenAt: new Date('2026-11-27T10:00:00Z'),
    updatedAt: new Date('2026-11-27T10:05:00Z'),
  };
  // Written the way the doctor writes them (an upsert per workflow).
  for (const doc of [
    { ...base, workflowId: 'cmp-stuck-1', status: 'unmendable', resets: 3, reason: 'still stuck after 3 reset(s)' },
    { ...base, workflowId: 'cmp-mended-1', status: 'mended', resets: 1, reason: null },
  ])
    await stuck.updateOne({ _id: doc.workflowId }, { $set: doc }, { upsert: true });
});

it('GET /v1/ops/stuck-cases lists what the doctor could not mend, to an ops manager', async () => {
  const res = await request(h.app)
    .get('/v1/ops/stuck-cases')
    .set('authorization', await h.bearer({ sub: 'ops-1', role: 'ops_manager' }));
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    count: 1,
    items: [
      expect.objectContaining({
        complaintId: 'cmp-stuck-1',
        resets: 3,
        reason: 'still stuck after 3 reset(s)',
        firstSeenAt: '2026-11-27T10:00:00.000Z',
      }),
    ],
  });
});

it.each(['agent', 'supervisor', 'compliance'] as const)('refuses a %s (403)', async (role) => {
  const res = await request(h.app)
    .get('/v1/ops/stuck-cases')
    .set('authorization', await h.bearer({ sub: `${role}-1`, role }));
  expect(res.status).toBe(403);
});
