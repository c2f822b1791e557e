import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { CaseViewV1 } from '../../shared/caseView';
import type { Actor } from '../../shared/intake';
import {
  addEvidenceUpdate,
  approvalUpdate,
  assignUpdate,
  briefUpdate,
  caseViewQuery,
  customerResponseUpdate,
  extendInvestigationUpdate,
  firstResponseUpdate,
  merchantReplyUpdate,
  proposeResolutionUpdate,
  repairCompletedUpdate,
  returnReceivedUpdate,
  returnShipmentUpdate,
  satisfactionUpdate,
  submitUpdate,
} from '../../shared/messages';
import { agent, merchantOf, openCase, otherAgent, supervisor, type OpenedCase } from '../support/cases';
import { useWorkflowHarness } from '../support/workflowHarness';
import {
  answered,
  briefed,
  endOfWorkingDays,
  eventually,
  faults,
  propose,
  quiet,
  refusal,
  settle,
  timeline,
} from './helpers';

/**
 * Every action is an update whose validator refuses what does not fit before anything is written:
 * the refusal's type is the error code the API turns into 403/409/422, and the case is unchanged.
 */

const h = useWorkflowHarness('validators');

/**
 * Expects `run` refused with `code`, and the case's audit log and view untouched: compared once what
 * was in flight has landed, unless the test holds a call in flight on purpose (it then never lands).
 */
async function refused(
  c: OpenedCase,
  code: string,
  run: () => Promise<unknown>,
  { holdsACall = false } = {},
): Promise<void> {
  if (!holdsACall) await quiet(c);
  const before = await snapshot(c);
  expect(await refusal(run())).toBe(code);
  expect(await snapshot(c)).toEqual(before);
}

/** The audit log's length and the view, less what moves with time alone. */
async function snapshot(c: OpenedCase): Promise<{ entries: number; view: Partial<CaseViewV1> }> {
  const view: Partial<CaseViewV1> = await c.handle.query(caseViewQuery);
  delete view.updatedAt;
  delete view.deadlines;
  return { entries: (await timeline(c)).length, view };
}

const say = (actor: Actor, message = 'We are looking into it.') => ({ message, requestEvidence: false, actor });

describe('wrong_stage', () => {
  it('refuses actions that do not fit the stage', async () => {
    const fresh = await openCase(h);
    await settle(fresh, (x) => x.status === 'acknowledged', 'acknowledged');
    // The role table (test/fixtures/access.json): the first response is "agent (owner)"; the validator refuses the role before the stage (shared/access.ts).
    await refused(fresh, 'forbidden', () =>
      fresh.handle.executeUpdate(firstResponseUpdate, { args: [say(supervisor)] }),
    );

    const c = await answered(h);
    await refused(c, 'wrong_stage', () => c.handle.executeUpdate(firstResponseUpdate, { args: [say(agent)] }));
    await refused(c, 'wrong_stage', () => propose(c, { type: 'refund', amountFen: 1_000 }));
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(approvalUpdate, { args: [{ decision: 'approve', reason: 'ok', actor: supervisor }] }),
    );
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(customerResponseUpdate, { args: [{ accept: true, actor: c.customer }] }),
    );
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(satisfactionUpdate, { args: [{ rating: 5, actor: c.customer }] }),
    );
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(returnShipmentUpdate, { args: [{ carrier: 'sf', waybillNo: 'SF1', actor: c.customer }] }),
    );
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(returnReceivedUpdate, { args: [{ inspection: 'ok', note: '', actor: c.merchant }] }),
    );
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(repairCompletedUpdate, { args: [{ note: '', actor: c.merchant }] }),
    );
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(assignUpdate, { args: [{ agentId: otherAgent.sub, actor: otherAgent }] }),
    );

    await c.handle.executeUpdate(merchantReplyUpdate, {
      args: [{ message: 'We accept', accepts: true, actor: c.merchant }],
    });
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(merchantReplyUpdate, { args: [{ message: 'Again', actor: c.merchant }] }),
    );
    await c.handle.executeUpdate(briefUpdate, {
      args: [{ responsibility: 'merchant', findings: 'Defect', actor: agent }],
    });
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(briefUpdate, { args: [{ responsibility: 'merchant', findings: 'Again', actor: agent }] }),
    );
    await refused(c, 'wrong_stage', () =>
      c.handle.executeUpdate(extendInvestigationUpdate, { args: [{ reason: 'More time', actor: agent }] }),
    );

    // Executing: no second proposal.
    await propose(c, { type: 'repair' });
    await settle(
      c,
      (x) => x.resolution.steps.some((s) => s.name === 'repair' && s.status === 'waiting'),
      'the repair step',
    );
    await refused(c, 'wrong_stage', () => propose(c, { type: 'refund', amountFen: 1_000 }));
  });
});

describe('not_owner, forbidden, not_found', () => {
  it('only the owning agent acts on a case; an agent takes cases only for themself', async () => {
    const c = await openCase(h);
    await settle(c, (x) => x.status === 'acknowledged', 'acknowledged');
    await refused(c, 'forbidden', () =>
      c.handle.executeUpdate(assignUpdate, { args: [{ agentId: otherAgent.sub, actor: agent }] }),
    );
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await refused(c, 'not_owner', () => c.handle.executeUpdate(firstResponseUpdate, { args: [say(otherAgent)] }));
    await c.handle.executeUpdate(firstResponseUpdate, { args: [say(agent)] });
    await settle(c, (x) => x.investigation.dueAt !== null, 'the investigation');
    await refused(c, 'not_owner', () =>
      c.handle.executeUpdate(extendInvestigationUpdate, { args: [{ reason: 'More time', actor: otherAgent }] }),
    );
    await refused(c, 'not_owner', () =>
      c.handle.executeUpdate(briefUpdate, { args: [{ responsibility: 'merchant', findings: 'x', actor: otherAgent }] }),
    );
    await c.handle.executeUpdate(briefUpdate, {
      args: [{ responsibility: 'merchant', findings: 'Defect', actor: agent }],
    });
    await refused(c, 'not_owner', () =>
      c.handle.executeUpdate(proposeResolutionUpdate, {
        args: [{ type: 'refund', amountFen: 1_000, note: 'Refund', actor: otherAgent }],
      }),
    );
    // A merchant answering for another merchant's case learns nothing about it.
    await refused(c, 'not_found', () =>
      c.handle.executeUpdate(merchantReplyUpdate, { args: [{ message: 'Not ours', actor: merchantOf('m-other') }] }),
    );
  });
});

describe('amounts and wording', () => {
  it('a refund above the amount paid is refused; a partial refund must be partial', async () => {
    const c = await briefed(h, { amountPaidFen: 12_900 });
    await refused(c, 'amount_exceeds_paid', () => propose(c, { type: 'refund', amountFen: 12_901 }));
    await refused(c, 'amount_exceeds_paid', () => propose(c, { type: 'partial_refund', amountFen: 20_000 }));
    await refused(c, 'policy_refused', () => propose(c, { type: 'partial_refund', amountFen: 12_900 }));
    // Exactly what was paid is fine.
    const v = await propose(c, { type: 'refund', amountFen: 12_900 });
    expect(v.status).toBe('executing');
  });

  it('forbidden wording in anything the customer is told is refused', async () => {
    const c = await openCase(h);
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await refused(c, 'forbidden_wording', () =>
      c.handle.executeUpdate(firstResponseUpdate, { args: [say(agent, 'Sorry, but this is normal for kettles.')] }),
    );
    await refused(c, 'forbidden_wording', () =>
      c.handle.executeUpdate(firstResponseUpdate, { args: [say(agent, '您误会了，这不是质量问题')] }),
    );
    await c.handle.executeUpdate(firstResponseUpdate, { args: [say(agent)] });
    await settle(c, (x) => x.investigation.dueAt !== null, 'the investigation');
    await c.handle.executeUpdate(briefUpdate, {
      args: [{ responsibility: 'merchant', findings: 'Defect', actor: agent }],
    });
    await refused(c, 'forbidden_wording', () =>
      propose(c, { type: 'refund', amountFen: 1_000, note: 'We absolutely guarantee full compensation' }),
    );
    expect((await c.handle.query(caseViewQuery)).resolution.proposal).toBeNull();
  });
});

describe('case_closed', () => {
  it('a closed case refuses every action; once the workflow is gone the server refuses it', async () => {
    const c = await briefed(h);
    await propose(c, { type: 'refund', amountFen: 1_000 });
    await settle(c, (x) => x.status === 'awaiting_customer', 'the solution');
    await c.handle.executeUpdate(customerResponseUpdate, { args: [{ accept: true, actor: c.customer }] });
    await settle(c, (x) => x.status === 'awaiting_feedback', 'feedback');
    // Hold the closing message (SMS timeout), so the closed case is still running while we act on it.
    await faults(h, { service: 'sms', mode: 'timeout', rate: 1, count: 1 });
    try {
      await c.handle.executeUpdate(satisfactionUpdate, { args: [{ rating: 5, actor: c.customer }] });
      await settle(c, (x) => x.status === 'closed', 'closed');
      const held = { holdsACall: true };
      const evidence = {
        items: [{ kind: 'photo' as const, url: 'https://example.com/late.jpg', note: '' }],
        actor: c.customer,
      };
      await refused(c, 'case_closed', () => c.handle.executeUpdate(addEvidenceUpdate, { args: [evidence] }), held);
      await refused(
        c,
        'case_closed',
        () =>
          c.handle.executeUpdate(submitUpdate, {
            args: [{ submissionId: randomUUID(), channel: 'app', evidence: [], actor: c.customer }],
          }),
        held,
      );
      await refused(
        c,
        'case_closed',
        () => c.handle.executeUpdate(assignUpdate, { args: [{ agentId: otherAgent.sub, actor: supervisor }] }),
        held,
      );
      await refused(
        c,
        'case_closed',
        () => c.handle.executeUpdate(merchantReplyUpdate, { args: [{ message: 'late', actor: c.merchant }] }),
        held,
      );
      await refused(c, 'case_closed', () => c.handle.executeUpdate(firstResponseUpdate, { args: [say(agent)] }), held);
    } finally {
      await faults(h, null);
    }
    expect(await c.handle.result()).toMatchObject({ status: 'closed', closeReason: 'resolved' });
    await expect(
      c.handle.executeUpdate(addEvidenceUpdate, {
        args: [{ items: [{ kind: 'photo', url: 'https://example.com/x.jpg', note: '' }], actor: c.customer }],
      }),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const closedView = await c.handle.query(caseViewQuery);
    expect(closedView.evidence).toEqual([]);
    await eventually(
      async () => (await timeline(c)).some((e) => e.action === 'case_closed'),
      (x) => x,
      'the close logged',
    );
  });
});

describe('actions do not wait on messages', () => {
  /** The update's answer, or a failure if it takes longer than a caller (the API gives 30 s) should wait. */
  const quickly = async <T>(run: Promise<T>, ms = 5_000): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the update took longer than ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([run, late]);
    } finally {
      clearTimeout(timer);
    }
  };

  it('answer at once while the SMS gateway is down; the messages are retried behind them, and what depends on them waits', async () => {
    const c = await openCase(h, { amountPaidFen: 80_000 });
    const other = await briefed(h, { amountPaidFen: 80_000 });
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await settle(c, (x) => x.status === 'in_progress', 'assigned');
    await eventually(
      () => timeline(c),
      (t) => t.some((e) => e.action === 'receipt_sent'),
      'the receipt',
    );
    await faults(h, { service: 'sms', mode: 'error', rate: 1 });
    let due3: string | null = null;
    try {
      let v = await quickly(
        c.handle.executeUpdate(firstResponseUpdate, {
          args: [{ message: 'Please send photos.', requestEvidence: true, actor: agent }],
        }),
      );
      // The evidence pause begins only once the request reached the customer.
      expect(v.awaitingEvidence).toBe(false);
      expect(v.stage).toBe('asking the customer for evidence');
      v = await settle(c, (x) => x.investigation.dueAt !== null, 'the investigation');
      expect(v.awaitingEvidence).toBe(false);
      due3 = v.investigation.dueAt;
      v = await quickly(
        c.handle.executeUpdate(extendInvestigationUpdate, {
          args: [{ reason: 'Waiting for the lab report', actor: agent }],
        }),
      );
      // Accepted at once, but the deadline moves only once the customer was told.
      expect(v.investigation).toMatchObject({ extended: true, dueAt: due3 });
      v = await quickly(propose(other, { type: 'refund', amountFen: 60_000 }));
      expect(v.status).toBe('awaiting_approval');
      v = await quickly(
        other.handle.executeUpdate(approvalUpdate, {
          args: [{ decision: 'reject', reason: 'Too much', actor: supervisor }],
        }),
      );
      expect(v.status).toBe('in_progress');
      v = await c.handle.query(caseViewQuery);
      expect(v).toMatchObject({ awaitingEvidence: false, investigation: { extended: true, dueAt: due3 } });
    } finally {
      await faults(h, null);
    }
    // Once the gateway is back, the retried messages go out, and the steps that waited for them take effect.
    await eventually(
      async () => (await timeline(c)).filter((e) => e.action === 'customer_message_sent').map((e) => e.detail.template),
      (t) => t.includes('evidence_request') && t.includes('extension_notice'),
      'the customer told',
      60_000,
    );
    const v = await settle(
      c,
      (x) => x.awaitingEvidence && x.investigation.dueAt !== due3,
      'the pause and the extension',
    );
    expect(v.investigation).toMatchObject({
      extended: true,
      dueAt: new Date(endOfWorkingDays(Date.parse(v.createdAt), 5, c.input.policy.calendar)).toISOString(),
    });
    expect((await timeline(c)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['handling_clock_paused', 'investigation_extended']),
    );
    await eventually(
      () => timeline(other),
      (t) => t.some((e) => e.action === 'staff_notified' && e.detail.event === 'proposal_rejected'),
      'the agent told',
      60_000,
    );
  });

  it('while the evidence request cannot be delivered, the case reads "asking the customer for evidence", and the clock runs', async () => {
    const c = await openCase(h);
    await c.handle.executeUpdate(assignUpdate, { args: [{ agentId: agent.sub, actor: agent }] });
    await eventually(
      () => timeline(c),
      (t) => t.some((e) => e.action === 'receipt_sent'),
      'the receipt',
    );
    await faults(h, { service: 'sms', mode: 'error', rate: 1 });
    try {
      await c.handle.executeUpdate(firstResponseUpdate, {
        args: [{ message: 'Please send photos.', requestEvidence: true, actor: agent }],
      });
      const v = await settle(
        c,
        (x) => x.investigation.dueAt !== null && x.deadlines.some((d) => d.kind === 'investigation'),
        'the investigation',
      );
      expect(v.awaitingEvidence).toBe(false);
      expect(v.deadlines.find((d) => d.kind === 'investigation')?.paused).toBe(false);
      expect(v.stage).toBe('asking the customer for evidence');
    } finally {
      await faults(h, null);
    }
  });
});
