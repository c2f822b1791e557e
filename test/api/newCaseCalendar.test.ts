import request from 'supertest';
import type { ComplaintWorkflowInput } from '../../shared/messages';
import { useApiHarness, callers, openBody, party, putOrder, viewOf } from './support';

/**
 * docs/domain.md §4.3: until next year's official schedule is loaded, its statutory festival days are computed
 * from their rules. A case opened through the API in December 2026 (only 2026 is official) carries
 * 2027's festival days. The dates are written here from the published lunar calendar, not computed.
 */

const h = useApiHarness({ worker: true });
const p = party();
const as = callers(p.customerId, p.merchantId);

beforeAll(() => {
  putOrder(h.sandbox, p);
});

it("a new case carries next year's computed festival days beside this year's official ones", async () => {
  const opened = await request(h.app)
    .post('/v1/complaints')
    .set('authorization', await h.bearer(as.customer))
    .send(openBody(p));
  expect(opened.status).toBe(201);
  const history = await h.temporal.workflow.getHandle(viewOf(opened).complaintId).fetchHistory();
  const input = h.temporal.options.loadedDataConverter.payloadConverter.fromPayload<ComplaintWorkflowInput>(
    history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0],
  );
  const year = Number(input.openedAt.slice(0, 4));
  const { calendar } = input.policy;
  // The published version's official years are kept as they are.
  expect(calendar.coveredYears).toContain(2026);
  expect(calendar.policyVersion).toBe(1);
  // Opened in 2026 or 2027, the case computes 2027 (with the year after it from 2027 on).
  expect(year).toBeLessThanOrEqual(2027);
  expect(calendar.computedYears).toContain(2027);
  // 2027: New Year; Spring Festival eve and days 1–3 (正月初一 is 6 February); Qingming 5 April;
  // Labour Day 1–2 May; Dragon Boat 9 June; Mid-Autumn 15 September; National Day 1–3 October.
  for (const date of [
    '2027-01-01',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-04-05',
    '2027-05-01',
    '2027-05-02',
    '2027-06-09',
    '2027-09-15',
    '2027-10-01',
    '2027-10-02',
    '2027-10-03',
  ]) {
    expect(calendar.holidays).toContain(date);
  }
  expect(calendar.holidays.filter((d) => d.startsWith('2027-'))).toHaveLength(13);
  // Make-up workdays cannot be computed: none is invented for 2027.
  expect(calendar.makeUpWorkdays.filter((d) => d.startsWith('2027-'))).toEqual([]);
});
