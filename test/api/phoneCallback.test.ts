import request from 'supertest';
import { complaintWorkflowId } from '../../shared/identity';
import { eventually } from '../support/poll';
import { useApiHarness, callers, errorOf, openBody, pageOf, party, putOrder, viewOf } from './support';

/**
 * docs/domain.md §9.4 through the API: an extremely upset customer's case (high, §2.2) owes a phone call
 * 24 h after its execution; the queue (the case list) shows the call with its due time; the owner
 * records the outcome with `POST /v1/complaints/:id/phone-callback` (reached → a rating 1–5); the
 * rating counts in the satisfaction report like an SMS one. 400 names the field (a suggestion without reaching the customer too), 409 when no call is due
 * or it was recorded, 403 for another agent.
 */

const h = useApiHarness({ worker: true });

const CALL_WITHIN_MS = 24 * 3_600_000;

it('records the call of an extremely upset customer: 409 before it is due, 400 without a rating, 403 for another agent, then a 4 that closes the case and counts in the report', async () => {
  const p = party();
  putOrder(h.sandbox, p);
  const as = callers(p.customerId, p.merchantId);
  const id = complaintWorkflowId(p.customerId, p.orderId, 'other');
  const post = async (claims: (typeof as)[keyof typeof as], path: string, body: object) =>
    request(h.app)
      .post(`/v1/complaints${path}`)
      .set('authorization', await h.bearer(claims))
      .send(body);
  const get = async (claims: (typeof as)[keyof typeof as], path: string) =>
    request(h.app)
      .get(path)
      .set('authorization', await h.bearer(claims));
  const opened = Date.now();

  expect(
    (await post(as.customer, '', openBody(p, { subType: 'other', description: 'The box was plain, no gift wrap' })))
      .status,
  ).toBe(201);
  await eventually(
    () => post(as.agent, `/${id}/assign`, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  expect(
    (await post(as.agent, `/${id}/upset`, { reason: 'Crying on the phone; threatens to post online' })).status,
  ).toBe(200);
  // Nothing executed yet: no call is due.
  const early = await post(as.agent, `/${id}/phone-callback`, { reached: false });
  expect(early.status).toBe(409);
  expect(errorOf(early).code).toBe('wrong_stage');

  expect((await post(as.agent, `/${id}/first-response`, { message: '您好，我们正在核实。' })).status).toBe(200);
  expect(
    (
      await post(as.agent, `/${id}/investigation/brief`, {
        responsibility: 'platform',
        findings: 'Gift wrap was paid for and not applied',
      })
    ).status,
  ).toBe(200);
  expect(
    (await post(as.agent, `/${id}/resolution`, { type: 'refund', amountFen: 1_000, note: 'Refund the gift wrap' }))
      .status,
  ).toBe(200);
  const executed = await eventually(
    async () => viewOf(await get(as.agent, `/v1/complaints/${id}`)),
    (v) => v.phoneCallback?.dueAt !== undefined,
    'the call task',
    60_000,
  );
  expect(Date.parse(executed.phoneCallback!.dueAt)).toBe(Date.parse(executed.resolution.executedAt!) + CALL_WITHIN_MS);

  // The queue reads the case list: the call task and its due time are there for staff, not for the customer.
  const listed = await eventually(
    async () =>
      pageOf(await get(as.agent, '/v1/complaints?status=awaiting_customer')).items.find((v) => v.complaintId === id),
    (v) => v?.phoneCallback?.dueAt !== undefined,
    'the call task in the list',
  );
  expect(listed!.phoneCallback!.dueAt).toBe(executed.phoneCallback!.dueAt);
  expect(viewOf(await get(as.customer, `/v1/complaints/${id}`)).phoneCallback ?? null).toBeNull();

  const noRating = await post(as.agent, `/${id}/phone-callback`, { reached: true, notes: 'Reached' });
  expect(noRating.status).toBe(400);
  expect(errorOf(noRating).details?.map((d) => d.path)).toEqual(['rating']);
  const outOfScale = await post(as.agent, `/${id}/phone-callback`, { reached: true, rating: 6 });
  expect(outOfScale.status).toBe(400);
  expect(errorOf(outOfScale).details?.map((d) => d.path)).toEqual(['rating']);
  // A customer not reached made no suggestion.
  const unreachedSuggestion = await post(as.agent, `/${id}/phone-callback`, { reached: false, suggestion: '快一点' });
  expect(unreachedSuggestion.status).toBe(400);
  expect(errorOf(unreachedSuggestion).details?.map((d) => d.path)).toEqual(['suggestion']);
  const stranger = await post({ sub: 'agent-8', role: 'agent' }, `/${id}/phone-callback`, { reached: true, rating: 4 });
  expect(stranger.status).toBe(403);

  const recorded = await post(as.agent, `/${id}/phone-callback`, {
    reached: true,
    rating: 4,
    notes: 'Reached; glad of the refund',
  });
  expect(recorded.status).toBe(200);
  expect(viewOf(recorded).phoneCallback?.outcome).toMatchObject({ reached: true, rating: 4, by: as.agent.sub });
  // Recorded once: the rating of 4 may already have closed the case, which is a 409 too.
  const again = await post(as.supervisor, `/${id}/phone-callback`, { reached: false });
  expect(again.status).toBe(409);
  expect(['wrong_stage', 'case_closed']).toContain(errorOf(again).code);

  await eventually(
    async () => viewOf(await get(as.agent, `/v1/complaints/${id}`)),
    (v) => v.status === 'closed',
    'closed on the rating',
    60_000,
  );
  // The call's 4 is a rating like an SMS one: the report counts it.
  const period = `from=${new Date(opened - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
  const report = await eventually(
    async () =>
      (await get(as.supervisor, `/v1/reports/summary?${period}`)).body as {
        satisfaction: { answered: number; distribution: Record<string, number> };
      },
    (r) => r.satisfaction?.answered >= 1,
    'the rating in the report',
  );
  expect(report.satisfaction.distribution['4']).toBeGreaterThanOrEqual(1);
}, 180_000);
