import { randomUUID } from 'node:crypto';
import { groupWorkflowId } from '../../shared/identity';
import {
  assignUpdate,
  carrierEventSignal,
  caseViewQuery,
  firstResponseUpdate,
  customerResponseUpdate,
  groupMemberSignal,
  satisfactionUpdate,
  submitUpdate,
  timelineQuery,
} from '../../shared/messages';
import { auditModel } from '../../store/audit';
import { caseModel } from '../../store/cases';
import { slaEventModel } from '../../store/slaEvents';
import { agent, openCase, type OpenedCase } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  DAY,
  HOUR,
  MINUTE,
  answered,
  briefed,
  customerTemplates,
  deadline,
  endOfWorkingDays,
  eventually,
  faults,
  hasDeadline,
  localClockMs,
  policyAt,
  propose,
  quiet,
  settle,
  slaEvents,
  sleepUntil,
  timeline,
  view,
} from './helpers';

/** docs/domain.md §1–§3 intake: receipt, duplicate submissions, the group rule, progress updates; §6.1 carrier; §10 the projection. */

const h = useWorkflowHarness('intake');

const smsOf = async (complaintId: string) => {
  const res = await fetch(`${h.sandbox.url}/sms/messages?complaintId=${encodeURIComponent(complaintId)}`);
  return (await res.json()) as Array<{ to: string; template: string; channel?: string; text: string }>;
};

describe('receipt', () => {
  /** The case's account of its receipt: the entry that says sent or failed, once the attempt ended. */
  const receiptEntry = async (c: OpenedCase) => {
    const t = await eventually(
      () => timeline(c),
      (x) => x.some((e) => e.action === 'receipt_sent' || e.action === 'receipt_failed'),
      "the receipt's outcome logged",
    );
    return { entries: t, receipt: t.filter((e) => e.action === 'receipt_sent' || e.action === 'receipt_failed') };
  };

  it('acknowledges at once on the intake channel with the complaint number', async () => {
    const c = await openCase(h);
    const v = await settle(c, (x) => x.status === 'acknowledged', 'acknowledged');
    expect(v.stage).toBe('waiting for an agent');
    const ack = (await smsOf(c.input.complaintId)).find((m) => m.template === 'acknowledgement');
    expect(ack).toMatchObject({ to: c.input.intake.customer.phone, channel: 'app' });
    expect(ack?.text).toContain(c.input.complaintId);
    const { entries, receipt } = await receiptEntry(c);
    expect(entries.map((e) => e.action).slice(0, 1)).toEqual(['complaint_opened']);
    // What tells a delivered receipt from a failed one (below): logged as sent, ok, after the gateway took it.
    expect(receipt).toEqual([expect.objectContaining({ action: 'receipt_sent', result: 'ok' })]);
    const handed = entries.findIndex(
      (e) => e.action === 'customer_message_sent' && e.detail.template === 'acknowledgement',
    );
    expect(handed).toBeGreaterThanOrEqual(0);
    expect(handed).toBeLessThan(entries.findIndex((e) => e.action === 'receipt_sent'));
    expect(v.undeliveredMessages ?? []).toEqual([]);
  });

  it('a receipt the gateway refuses is not logged as sent (docs/domain.md §5.6), and the case shows it undelivered', async () => {
    // Refused (422), not retried: the receipt's one attempt fails; the alert about it goes through.
    await faults(h, { service: 'sms', mode: 'decline', rate: 1, count: 1 });
    try {
      // Low priority: a medium case also tells its supervisor at opening (docs/domain.md §2.2), an alert that could take the gateway's one refusal.
      const c = await openCase(h, { priority: 'low', priorityReasons: [] });
      const { entries, receipt } = await receiptEntry(c);
      expect(receipt).toEqual([expect.objectContaining({ action: 'receipt_failed', result: 'failed' })]);
      expect(entries.map((e) => e.action)).not.toContain('receipt_sent');
      expect(await customerTemplates(h, c.input.complaintId)).not.toContain('acknowledgement');
      const v = await settle(c, (x) => (x.undeliveredMessages ?? []).length > 0, 'the undelivered receipt on the case');
      expect(v.undeliveredMessages).toEqual([expect.objectContaining({ template: 'acknowledgement' })]);
    } finally {
      await faults(h, null);
    }
  });

  it('the first-response clock runs while the receipt goes out: a quick answer counts as met', async () => {
    // The SMS gateway holds the receipt (a timeout), so the agent answers before it is out.
    await faults(h, { service: 'sms', mode: 'timeout', rate: 1, count: 1 });
    try {
      // Low priority: a medium case's supervisor alert at opening (docs/domain.md §2.2) could be the call the gateway holds.
      const c = await openCase(h, { priority: 'low', priorityReasons: [] });
      const v0 = await settle(c, (x) => deadline(x, 'first_response') !== undefined, 'the first-response deadline');
      expect(v0.status).toBe('received');
      await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
      await c.handle.executeUpdate(firstResponseUpdate, {
        args: [{ message: 'We are on it.', requestEvidence: false, actor: agent }],
      });
      expect((await timeline(c)).map((e) => e.action)).not.toContain('receipt_sent');
      const met = await eventually(
        async () => (await slaEvents(c)).filter((e) => e.event === 'met').map((e) => e.kind),
        (k) => k.length >= 2,
        'the met deadlines',
      );
      expect(met).toEqual(expect.arrayContaining(['first_response', 'handling']));
      await eventually(
        () => timeline(c),
        (t) => t.some((e) => e.action === 'receipt_sent'),
        'the receipt',
        30_000,
      );
      expect((await view(c)).status).toBe('in_progress');
      expect(await customerTemplates(h, c.input.complaintId)).toContain('acknowledgement');
    } finally {
      await faults(h, null);
    }
  });

  it('a failing group counter does not end the case', async () => {
    const spy = jest
      .spyOn(h.env.client.workflow, 'signalWithStart')
      .mockRejectedValue(new Error('temporal unreachable'));
    try {
      const c = await openCase(h);
      await h.env.sleep(MINUTE);
      await eventually(
        () => timeline(c),
        (t) => t.some((e) => e.action === 'group_join_failed'),
        'the logged failure',
        30_000,
      );
      expect(spy).toHaveBeenCalled();
      expect((await c.handle.describe()).status.name).toBe('RUNNING');
      expect((await view(c)).status).toBe('acknowledged');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('duplicate submissions', () => {
  it('a second submission joins the case: same case, evidence appended, logged', async () => {
    const c = await openCase(h);
    await settle(c, (x) => x.status === 'acknowledged', 'acknowledged');
    const result = await c.handle.executeUpdate(submitUpdate, {
      args: [
        {
          submissionId: randomUUID(),
          channel: 'weibo',
          evidence: [{ kind: 'photo', url: 'https://example.com/leak.jpg', note: 'from weibo' }],
          actor: c.customer,
        },
      ],
    });
    expect(result.joined).toBe(true);
    expect(result.view.complaintId).toBe(c.input.complaintId);
    expect(result.view.evidence).toEqual([
      expect.objectContaining({ url: 'https://example.com/leak.jpg', addedBy: c.customer.sub }),
    ]);
    const joined = (await timeline(c)).filter((e) => e.action === 'duplicate_submission_joined');
    expect(joined).toEqual([
      expect.objectContaining({
        detail: { channel: 'weibo', evidence: 1 },
        actor: { sub: c.customer.sub, role: 'customer' },
      }),
    ]);
    // Still one case, one receipt.
    expect((await customerTemplates(h, c.input.complaintId)).filter((t) => t === 'acknowledgement')).toHaveLength(1);

    // The original submission repeated (a retried request) is not a join.
    const again = await c.handle.executeUpdate(submitUpdate, {
      args: [{ submissionId: c.input.submissionId, channel: 'app', evidence: [], actor: c.customer }],
    });
    expect(again.joined).toBe(false);
  });
});

describe('group complaints (5 on one merchant within 24 h)', () => {
  const groupSignals = async (merchantId: string) => {
    // The counter starts with its first member; until then it has counted none.
    const history = await h.env.client.workflow
      .getHandle(groupWorkflowId('merchant', merchantId))
      .fetchHistory()
      .catch(() => null);
    const events = history?.events ?? [];
    return {
      members: events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === groupMemberSignal.name)
        .length,
      flagsSent: events.filter((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes).length,
    };
  };

  /**
   * The merchant's counter (its current run) has counted every case of `cases`: each one's member
   * signal is in its history and a workflow task completed after the last of them. The flags that
   * count sets off are commands of that task, so from then on `flagsSent` is final for these cases.
   */
  const counted = async (merchantId: string, cases: OpenedCase[]) => {
    const history = await h.env.client.workflow
      .getHandle(groupWorkflowId('merchant', merchantId))
      .fetchHistory()
      .catch(() => null);
    const events = history?.events ?? [];
    const memberOf = (e: (typeof events)[number]) => {
      const a = e.workflowExecutionSignaledEventAttributes;
      if (a?.signalName !== groupMemberSignal.name) return null;
      const data = a.input?.payloads?.[0]?.data;
      return data ? (JSON.parse(Buffer.from(data).toString('utf8')) as { complaintId: string }).complaintId : null;
    };
    const signalled = new Map(
      events.flatMap((e, i) => {
        const id = memberOf(e);
        return id ? [[id, i] as const] : [];
      }),
    );
    const wanted = cases.map((c) => signalled.get(c.input.complaintId) ?? Infinity);
    const last = Math.max(...wanted);
    return {
      done: events.some((e, i) => i > last && e.workflowTaskCompletedEventAttributes),
      flagsSent: events.filter((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes).length,
    };
  };

  it('the fifth case flags all five (high priority) and tells a supervisor once; four do not', async () => {
    const five = `m-five-${randomUUID().slice(0, 6)}`;
    const four = `m-four-${randomUUID().slice(0, 6)}`;
    const first4 = await Promise.all([1, 2, 3, 4].map(() => openCase(h, { merchantId: five, priority: 'low' })));
    const others = await Promise.all([1, 2, 3, 4].map(() => openCase(h, { merchantId: four, priority: 'low' })));
    // Four counted (a positive signal, not a pause): no flag went out, so no case holds one.
    expect(
      await eventually(
        () => counted(five, first4),
        (g) => g.done,
        'four members counted',
      ),
    ).toMatchObject({ flagsSent: 0 });
    expect(
      await eventually(
        () => counted(four, others),
        (g) => g.done,
        'four members counted',
      ),
    ).toMatchObject({ flagsSent: 0 });
    for (const c of [...first4, ...others]) expect((await view(c)).groupFlagged).toBe(false);

    const fifth = await openCase(h, { merchantId: five, priority: 'low' });
    const all = [...first4, fifth];
    for (const c of all) {
      const v = await settle(c, (x) => x.groupFlagged, 'the group flag');
      expect(v.priority).toBe('high');
      expect(v.priorityReasons).toContain(`group_complaint:merchant:${five}:5`);
      expect((await timeline(c)).map((e) => e.action)).toContain('group_complaint_flagged');
    }
    const alerts = await eventually(
      async () =>
        (
          await fetch(`${h.sandbox.url}/sms/messages?to=staff:supervisor`).then(
            (r) => r.json() as Promise<Array<{ template: string; complaintId: string; text: string }>>,
          )
        ).filter((m) => m.template === 'staff:group_complaint' && m.text.includes(five)),
      (m) => m.length >= 1,
      'the group alert',
    );
    expect(alerts).toHaveLength(1);
    expect(all.map((c) => c.input.complaintId)).toContain(alerts[0].complaintId);

    expect(await groupSignals(four)).toEqual({ members: 4, flagsSent: 0 });
    for (const c of others) expect((await view(c)).groupFlagged).toBe(false);
  });

  it('five on one product (sku) within 24 h flag too, whatever the merchants', async () => {
    const sku = `sku-hot-${randomUUID().slice(0, 6)}`;
    const cases = await Promise.all([1, 2, 3, 4, 5].map(() => openCase(h, { sku })));
    for (const c of cases) {
      const v = await settle(c, (x) => x.groupFlagged, 'the group flag');
      expect(v.priority).toBe('high');
      expect(v.priorityReasons).toContain(`group_complaint:sku:${sku}:5`);
    }
    await eventually(
      async () =>
        (
          await fetch(`${h.sandbox.url}/sms/messages?to=staff:supervisor`).then(
            (r) => r.json() as Promise<Array<{ template: string; text: string }>>,
          )
        ).filter((m) => m.template === 'staff:group_complaint' && m.text.includes(sku)),
      (m) => m.length === 1,
      'the group alert',
    );
  });

  it('a flagged case that nobody took yet is due within the high-priority 2 h', async () => {
    const merchantId = `m-rush-${randomUUID().slice(0, 6)}`;
    // A first-response window longer than any handling window keeps the ladder to the handling deadline.
    const policy = await policyAt(h, 10, { firstResponse: 'P30D', offHoursFirstResponse: 'P30D' });
    const cases = await Promise.all([1, 2, 3, 4, 5].map(() => openCase(h, { merchantId, priority: 'medium', policy })));
    for (const c of cases) {
      const v = await settle(c, (x) => x.groupFlagged && hasDeadline('handling')(x), 'the group flag');
      expect(Date.parse(deadline(v, 'handling')!.dueAt)).toBe(Date.parse(v.createdAt) + 2 * HOUR);
    }
    const opened = Date.parse((await view(cases[0])).createdAt);
    await sleepUntil(h, opened + 2 * HOUR + MINUTE);
    const v = await settle(cases[0], (x) => x.breaches.length === 1, 'the handling breach');
    expect(v.breaches[0]).toMatchObject({
      kind: 'handling',
      dueAt: new Date(opened + 2 * HOUR).toISOString(),
      escalatedTo: 'supervisor',
    });
  });

  it('five on one merchant spread over more than 24 h do not flag', async () => {
    const merchantId = `m-slow-${randomUUID().slice(0, 6)}`;
    const early = await Promise.all([1, 2, 3, 4].map(() => openCase(h, { merchantId })));
    await eventually(
      () => groupSignals(merchantId),
      (g) => g.members === 4,
      'four members counted',
    );
    await h.env.sleep(DAY + MINUTE);
    const late = await openCase(h, { merchantId });
    // The counter took the fifth in (its count ran) and flagged nobody: the first four left its 24 h window.
    const g = await eventually(
      () => counted(merchantId, [late]),
      (x) => x.done,
      'the fifth member counted',
    );
    expect(g.flagsSent).toBe(0);
    for (const c of [...early, late]) expect((await view(c)).groupFlagged).toBe(false);
  });
});

describe('progress updates', () => {
  it('a case open longer than 3 days tells the customer, then every working day', async () => {
    // Opened at 10:00 local: three days later service is open, so the update is not held for the morning.
    const policy = await policyAt(h, 10);
    const c = await answered(h, { category: 'service', subType: 'rude_agent', policy });
    const opened = Date.parse((await view(c)).createdAt);
    const updates = async () =>
      (await customerTemplates(h, c.input.complaintId)).filter((x) => x === 'progress_update').length;
    // Absence is read once nothing is in flight: a message due earlier would have gone out by then.
    await sleepUntil(h, opened + 3 * DAY - MINUTE);
    await quiet(c);
    expect(await updates()).toBe(0);
    await sleepUntil(h, opened + 3 * DAY + MINUTE);
    const first = await eventually(
      () => smsOf(c.input.complaintId),
      (m) => m.some((x) => x.template === 'progress_update'),
      'a progress update',
    );
    expect(first.find((m) => m.template === 'progress_update')?.text).toContain(c.input.complaintId);
    // The next at the same local time on the next working day (docs/domain.md §3.1, §4.2: Monday to Friday, less the
    // calendar's holidays, plus its make-up workdays), counted here from the policy's lists.
    const firstAt = opened + 3 * DAY;
    const endOfNextWorkingDay = endOfWorkingDays(firstAt, 1, policy.calendar);
    const next = endOfNextWorkingDay + 1 - DAY + localClockMs(firstAt, policy.calendar.timeZone);
    await sleepUntil(h, next - MINUTE);
    await quiet(c);
    expect(await updates()).toBe(1);
    await sleepUntil(h, next + MINUTE);
    await eventually(updates, (n) => n === 2, 'a second progress update');
  });
});

describe('carrier tracking', () => {
  it('reads the waybill trail during the investigation and follows carrier events', async () => {
    const waybillNo = `SF${randomUUID().slice(0, 8)}`;
    const put = await fetch(`${h.sandbox.url}/carriers/sf/waybills/${waybillNo}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        status: 'delivered',
        signedBy: 'front desk',
        events: [
          { at: '2026-11-02T10:00:00+08:00', status: 'picked_up' },
          { at: '2026-11-03T15:00:00+08:00', status: 'delivered', location: 'Shanghai' },
        ],
      }),
    });
    expect(put.ok).toBe(true);
    const c = await answered(h, {
      category: 'logistics',
      subType: 'false_delivery',
      waybill: { carrier: 'sf', waybillNo },
    });
    const v = await settle(c, (x) => x.investigation.carrierStatus !== null, 'the carrier status');
    expect(v.investigation.carrierStatus).toBe('delivered');
    expect((await timeline(c)).find((e) => e.action === 'carrier_tracked')?.detail).toMatchObject({
      carrier: 'sf',
      waybillNo,
      status: 'delivered',
      events: 2,
    });

    await c.handle.signal(carrierEventSignal, { waybillNo, status: 'returned', at: new Date().toISOString() });
    await settle(c, (x) => x.investigation.carrierStatus === 'returned', 'the carrier event');
  });

  it('an unreachable carrier is logged and the case goes on', async () => {
    const c = await openCase(h, {
      category: 'logistics',
      subType: 'lost',
      waybill: { carrier: 'sf', waybillNo: 'NOPE1' },
    });
    await faults(h, { service: 'carriers', mode: 'error', rate: 1 });
    try {
      await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
      await c.handle.executeUpdate(firstResponseUpdate, {
        args: [{ message: 'Checking with the carrier.', requestEvidence: false, actor: agent }],
      });
      // Five attempts, 1 s apart and doubling: skipped in test time.
      await h.env.sleep(MINUTE);
      await eventually(
        () => timeline(c),
        (t) => t.some((e) => e.action === 'carrier_tracking_failed'),
        'the failed lookup',
        60_000,
      );
      expect((await view(c)).investigation.carrierStatus).toBeNull();
      expect((await view(c)).status).toBe('in_progress');
    } finally {
      await faults(h, null);
    }
  });
});

describe('the projection (MongoDB)', () => {
  const stored = async (c: OpenedCase) => caseModel(h.mongo).findById(c.input.complaintId).lean();
  /**
   * The stored view equals the live one. Both are read again on every poll: the case may still change
   * after the state a test waited for (a message logged, the next deadline shown), and the projection
   * follows it; only a difference that persists fails (the error shows both).
   */
  const sameAsLive = async (c: OpenedCase) => {
    const both = await eventually(
      async () => ({ live: await c.handle.query(caseViewQuery), doc: await stored(c) }),
      ({ live, doc }) => doc !== null && JSON.stringify(doc.view) === JSON.stringify(live),
      'the newest view stored',
    );
    return { live: both.live, doc: both.doc! };
  };

  it('holds the newest version of the case, its audit log and SLA facts', async () => {
    const c = await briefed(h);
    await propose(c, { type: 'refund', amountFen: 12_900 });
    // The solution message goes out after the status moved on, then the objection window starts.
    await settle(c, (x) => x.status === 'awaiting_customer' && hasDeadline('objection_window')(x), 'the solution');
    let { doc } = await sameAsLive(c);
    expect(doc).toMatchObject({
      status: 'awaiting_customer',
      merchantId: c.merchant.merchantId,
      breached: false,
      round: 1,
      responsibility: 'merchant',
    });
    const version = doc.version;
    expect(version).toBeGreaterThan(0);

    // The audit log holds the live timeline, entry for entry (both read again until they agree; the error shows both).
    await eventually(
      async () => ({
        audit: (await auditModel(h.mongo).find({ complaintId: c.input.complaintId }).sort({ seq: 1 }).lean()).map(
          (a) => [a.seq, a.action],
        ),
        live: (await c.handle.query(timelineQuery)).map((e) => [e.seq, e.action]),
      }),
      ({ audit, live }) => JSON.stringify(audit) === JSON.stringify(live),
      'the audit log',
    );
    const sla = await slaEventModel(h.mongo).find({ complaintId: c.input.complaintId }).lean();
    expect(sla.map((e) => e.kind)).toEqual(expect.arrayContaining(['first_response', 'handling', 'investigation']));

    await c.handle.executeUpdate(customerResponseUpdate, { args: [{ accept: true, actor: c.customer }] });
    await settle(c, (x) => x.status === 'awaiting_feedback', 'feedback');
    await c.handle.executeUpdate(satisfactionUpdate, { args: [{ rating: 5, actor: c.customer }] });
    await c.handle.result();
    const closed = await sameAsLive(c);
    doc = closed.doc;
    expect(doc.version).toBeGreaterThan(version);
    expect(doc).toMatchObject({ status: 'closed', closeReason: 'resolved', rating: 5 });
    expect(closed.live.status).toBe('closed');
    const finalAudit = await auditModel(h.mongo).find({ complaintId: c.input.complaintId }).sort({ seq: 1 }).lean();
    expect(finalAudit.map((a) => a.action)).toEqual((await c.handle.query(timelineQuery)).map((e) => e.action));
    expect(finalAudit.map((a) => a.action)).toContain('case_closed');
    expect(finalAudit.at(-1)).toMatchObject({ action: 'customer_message_sent', detail: { template: 'case_closed' } });
  });

  it('writes the whole case again when the store lost it, and the case goes on', async () => {
    const c = await briefed(h);
    await sameAsLive(c);
    // A restored backup or a dropped collection: the case's next write finds nothing to apply its changes to.
    await caseModel(h.mongo).deleteOne({ _id: c.input.complaintId });
    await propose(c, { type: 'refund', amountFen: 12_900 });
    await settle(c, (x) => x.status === 'awaiting_customer' && hasDeadline('objection_window')(x), 'the solution');
    const { doc } = await sameAsLive(c);
    expect(doc).toMatchObject({
      status: 'awaiting_customer',
      merchantId: c.merchant.merchantId,
      customerId: c.customer.sub,
      round: 1,
    });
  });
});
