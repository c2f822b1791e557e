import request from 'supertest';
import { complaintWorkflowId } from '../../shared/identity';
import { useApiHarness, callers, errorOf, openBody, party, putOrder, viewOf } from './support';
import { eventually } from '../support/poll';

/**
 * docs/domain.md §2.2: "an extremely upset customer marked by an agent" makes a case high priority. Driven
 * through the API: the owning agent marks it with what they saw (`POST /v1/complaints/:id/upset`),
 * the case turns high and says who marked it; a second mark, a blank reason, another agent are refused.
 */

const h = useApiHarness({ worker: true });

async function takenRoutineCase() {
  const p = party();
  putOrder(h.sandbox, p);
  const as = callers(p.customerId, p.merchantId);
  const call = async (claims: (typeof as)[keyof typeof as], path: string, body: object) =>
    request(h.app)
      .post(`/v1/complaints${path}`)
      .set('authorization', await h.bearer(claims))
      .send(body);
  // A plain-packaging complaint: no rule of docs/domain.md §2.2 raises it, so it opens routine (low).
  const opened = await call(
    as.customer,
    '',
    openBody(p, { subType: 'other', description: 'The box was plain, no gift wrap' }),
  );
  expect(opened.status).toBe(201);
  expect(viewOf(opened).priority).toBe('low');
  const id = complaintWorkflowId(p.customerId, p.orderId, 'other');
  await eventually(
    () => call(as.agent, `/${id}/assign`, { agentId: as.agent.sub }),
    (r) => r.status === 200,
    'the case assigned',
  );
  return { id, as, call };
}

describe('POST /v1/complaints/:id/upset', () => {
  it('the owning agent marks the customer extremely upset: the case becomes high priority and names who marked it', async () => {
    const { id, as, call } = await takenRoutineCase();
    const marked = await call(as.agent, `/${id}/upset`, {
      reason: 'The customer is shouting and threatens to cancel every order',
    });
    expect(marked.status).toBe(200);
    expect(viewOf(marked).priority).toBe('high');
    expect(viewOf(marked).priorityReasons).toContain(`extremely_upset:${as.agent.sub}`);
    const read = await request(h.app)
      .get(`/v1/complaints/${id}/timeline`)
      .set('authorization', await h.bearer(as.supervisor));
    expect(read.status).toBe(200);
    expect(
      (read.body as Array<{ action: string; detail: { reason?: string } }>).find(
        (e) => e.action === 'marked_extremely_upset',
      )?.detail.reason,
    ).toBe('The customer is shouting and threatens to cancel every order');

    // Marked once: a second mark changes nothing and says so.
    const again = await call(as.supervisor, `/${id}/upset`, { reason: 'Still upset' });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('wrong_stage');
  });

  it('refuses a blank reason (400 naming it) and an agent who does not own the case (403)', async () => {
    const { id, call } = await takenRoutineCase();
    const blank = await call({ sub: 'agent-7', role: 'agent' }, `/${id}/upset`, { reason: '   ' });
    expect(blank.status).toBe(400);
    expect(new Set(errorOf(blank).details?.map((d) => d.path))).toEqual(new Set(['reason']));
    const stranger = await call({ sub: 'agent-8', role: 'agent' }, `/${id}/upset`, {
      reason: 'Heard them on the phone',
    });
    expect(stranger.status).toBe(403);
    expect(errorOf(stranger).code).toBe('not_owner');
  });
});
