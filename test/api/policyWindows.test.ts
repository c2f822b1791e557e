import { withPolicyWindows } from '../../api/views';
import { caseView } from '../../dev/builders';
import type { DeadlineV1 } from '../../shared/caseView';
import type { DeadlineKind } from '../../shared/domain';
import { SlaPolicy } from '../../shared/policy';

/**
 * The API names the window of each deadline whose window is one figure of the policy, from the
 * policy the case opened with (docs/domain.md §3's table, §7.9), so the console's label follows the
 * policy rather than a figure written into it. Pure: every case view the API answers goes through it.
 */

const at = '2026-11-23T10:00:00.000Z';
const deadline = (kind: DeadlineKind): DeadlineV1 => ({
  kind,
  dueAt: at,
  since: at,
  paused: false,
  rung: 0,
  topRungAlerts: 0,
});
const view = caseView({
  deadlines: (['social_reply', 'routine_handling', 'phone_callback', 'customer_choice', 'first_response'] as const).map(
    deadline,
  ),
});
const windows = (policy: SlaPolicy | null) =>
  Object.fromEntries(withPolicyWindows(view, policy).deadlines.map((d) => [d.kind, d.window]));

it("gives each such deadline the default policy's window: docs/domain.md's figures", () => {
  expect(windows(SlaPolicy.parse({}))).toEqual({
    // docs/domain.md §2.6: a private message within 2 h of intake.
    social_reply: 'PT2H',
    // docs/domain.md §2.2: a routine case's solution within 30 min of its taking.
    routine_handling: 'PT30M',
    // docs/domain.md §9.4: the phone call within 24 h of the execution.
    phone_callback: 'PT24H',
    // docs/domain.md §7.9: the customer has 2 days to choose.
    customer_choice: 'P2D',
    // The first response's window depends on the hour and the priority: no one figure.
    first_response: undefined,
  });
});

it("follows the case's policy when it differs, and names none when the case's policy is not known", () => {
  const slower = SlaPolicy.parse({ socialReply: { within: 'PT3H' }, routineHandling: 'PT45M' });
  expect(windows(slower)).toMatchObject({ social_reply: 'PT3H', routine_handling: 'PT45M' });
  expect(withPolicyWindows(view, null)).toEqual(view);
});
