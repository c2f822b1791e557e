import { departmentOf } from '../shared/departments';
import { onCallAt } from '../shared/escalation';
import { type Case, SYSTEM } from './case';
import { inServiceHours, onTheClock } from './deadlines';
import { notifyStaff } from './messaging';
import { isSocialCase, startBackgroundWait } from './stages';

/**
 * Who must hear of a case the moment it opens, whatever the hour: a crisis reaches the operations
 * manager on call, legal and PR (docs/domain.md §5.4); a compliance case opens a compliance review (§2.5).
 */

const SPEC_ALSO_TELL = ['legal', 'pr'];

export function alertCrisis(c: Case): void {
  if (!onTheClock(c, 'handling')) return;
  const onCall = onCallAt(c.policy.crisis?.onCall, Date.now());
  const reasons = c.view.priorityReasons.join(', ');
  for (const to of [onCall, ...(c.policy.crisis?.alsoTell ?? SPEC_ALSO_TELL)]) {
    c.track(
      notifyStaff(
        c,
        to,
        'crisis_opened',
        `${c.view.complaintId}: crisis case opened (${reasons}); handle it now, day or night`,
      ),
    );
  }
}

/** docs/domain.md §2.5: a compliance case always opens a compliance review first: compliance hears of it now, not at the proposal. */
export function openComplianceReview(c: Case): void {
  c.audit(SYSTEM, 'compliance_review_opened', { category: c.view.category, subType: c.view.subType });
  c.track(
    notifyStaff(
      c,
      'compliance',
      'compliance_review',
      `${c.view.complaintId}: compliance review (${c.view.subType}); the case waits on your findings before any decision`,
    ),
  );
}

/**
 * docs/domain.md §2.2, §2.6, what a case's tier and channel start when it opens (patch `priority-tiers`):
 * a medium ("serious") case involves the supervisor at once, not only at a miss (in service hours,
 * like every alert on a case that is not high); a social-channel case starts its private-message clock.
 */
export function openByTier(c: Case): void {
  if (c.view.priority === 'medium') {
    c.track(
      inServiceHours(c, () =>
        notifyStaff(
          c,
          'supervisor',
          'medium_opened',
          `${c.view.complaintId}: a serious (medium-priority) case opened (${c.view.priorityReasons.join(', ') || c.view.subType}); a handler is due within the medium window`,
        ),
      ),
    );
  }
  if (isSocialCase(c)) startBackgroundWait(c, 'social_reply');
}

/**
 * docs/domain.md §6.5: the case is routed to the department of its category, which is told (in
 * service hours, like every alert on a case that is not high). A notice that cannot go out is a
 * timeline fact and goes one level up (notifyStaff). `alreadyTold`: recipients who heard of the case
 * another way just now (compliance, by its review).
 */
export function routeToDepartment(c: Case, alreadyTold: readonly string[] = []): void {
  const department = departmentOf(c.view.category, c.policy.departments);
  const from = c.view.department ?? null;
  c.view.department = department;
  if (department === null) {
    if (from !== null) c.audit(SYSTEM, 'department_route_ended', { from, category: c.view.category });
    else c.touch();
    return;
  }
  c.audit(SYSTEM, 'routed_to_department', { department, category: c.view.category, ...(from !== null && { from }) });
  tellDepartment(
    c,
    department,
    'department_routed',
    `${c.view.complaintId}: a ${c.view.category} case (${c.view.subType}, ${c.view.priority} priority) is routed to your department (${department}); add your findings to the case`,
    alreadyTold,
  );
}

/** Tells the people a department's policy names, beside the case, in service hours unless the case is high. */
export function tellDepartment(
  c: Case,
  department: string,
  event: string,
  text: string,
  alreadyTold: readonly string[] = [],
  stillNeeded?: () => boolean,
): void {
  const recipients = (c.policy.departments?.[department]?.notify ?? []).filter((to) => !alreadyTold.includes(to));
  for (const to of recipients) c.track(inServiceHours(c, () => notifyStaff(c, to, event, text), stillNeeded));
}
