/**
 * Every patch id workflow code has used, when it went in, and when it may become
 * `deprecatePatch()` and later go (README, "Changing a workflow"): a patch may be deprecated once no
 * open case's history lacks its marker, i.e. every case started before the date has closed or was
 * reset, and removed once no open case's history still holds the deprecation.
 */
export const PATCHES = {
  /** The process generation 3 (per-deadline ladders, delayed messages, complete continue-as-new). */
  processRev3: { id: 'process-rev-3', since: '2026-11-27' },
  /** Each deadline warns the person who must act before it is breached; a carrier's delay asks it to expedite and tells the customer (docs/domain.md §3.2, §6.1). */
  warningsAndCarrierDelays: { id: 'warnings-and-carrier-delays', since: '2026-11-27' },
  /** Continue-as-new looks again for work the deciding task started (an alert of a deadline that fired in it). */
  drainBeforeContinueAsNew: { id: 'drain-before-continue-as-new', since: '2026-11-27' },
  /** A wait that begins paused and already past its due time climbs its first rung before the pause holds it. */
  missBeforePause: { id: 'miss-before-pause', since: '2026-11-27' },
  /** A running case takes a newer published calendar by signal, and its pending working-day deadlines move. */
  liveCalendar: { id: 'live-calendar', since: '2026-12-07' },
  /** After the top rung's bounded burst, a miss still open is reported once per service day instead of going silent. */
  dailyAfterTopRung: { id: 'daily-after-top-rung', since: '2026-12-07' },
  /** A request for evidence has its own window: the customer is reminded half way, then the investigation resumes on what it has. */
  evidenceWindow: { id: 'evidence-window', since: '2026-12-07' },
  /** A miss's alert waits for service hours beside the clock, so the stage moves on at once when someone acts. */
  alertBesideTheClock: { id: 'alert-beside-the-clock', since: '2026-12-07' },
  /** Crisis cases run on the wall clock from intake; on-call operations, legal and PR hear of them at once. */
  crisisOnTheClock: { id: 'crisis-on-the-clock', since: '2026-12-07' },
  /** A compliance case opens a compliance review at once (compliance is told at intake or on reclassification), and its Category search attribute follows a reclassification. */
  complianceReviewFirst: { id: 'compliance-review-first', since: '2026-12-07' },
  /** Goods not shipped back in time: the customer is reminded, then the step is cancelled and the case returns to its agent. */
  silentCustomerReturn: { id: 'silent-customer-return', since: '2026-12-07' },
  /** The case doctor holds updates out of a reset and sends them again once the reset run can take them. */
  doctorRedeliversUpdates: { id: 'doctor-redelivers-updates', since: '2026-12-07' },
  /** The frozen generation 2 (workflows/legacy/rev2/) keeps its own constants; listed here so the registry is whole. */
  legacySearchAttributesOnChange: { id: 'search-attributes-on-change', since: '2026-11-23' },
  legacyProposalClockBeforeAlert: { id: 'proposal-clock-before-alert', since: '2026-11-23' },
  legacyOwnerSmsOnHighPriorityBreach: { id: 'owner-sms-on-high-priority-breach', since: '2026-11-23' },
  /** The group counter's alert is best effort: a failed one goes to the operations manager, and the counter goes on. */
  groupAlertBestEffort: { id: 'group-alert-best-effort', since: '2026-12-07' },
  /** A customer message that could not be delivered alerts the owner (else the supervisor) and is shown on the case. */
  undeliveredMessageAlerts: { id: 'undelivered-message-alerts', since: '2026-12-07' },
  /** The approval threshold counts what a proposal pays by its type (a coupon's value, no money for an exchange), as the solution message says. */
  amountPerType: { id: 'amount-per-type', since: '2026-12-07' },
  /** A satisfaction callback due before the objection window ends (high priority: 12 h) goes out while the window runs. */
  callbackInObjectionWindow: { id: 'callback-in-objection-window', since: '2026-12-07' },
  /** The merchant's copy goes out at intake, not after the first response; a refused copy stops the merchant's clock; no copy of a service complaint. */
  merchantCopyAtIntake: { id: 'merchant-copy-at-intake', since: '2026-12-07' },
  /** A re-plan does not ask for goods already back; round two is handled one level up (a supervisor proposes and owns it). */
  replanKnowsTheGoods: { id: 'replan-knows-the-goods', since: '2026-12-07' },
  roundTwoOneLevelUp: { id: 'round-two-one-level-up', since: '2026-12-07' },
  /** After a miss someone hears of it every service day until the case moves (between rungs too, and the day the top-rung burst ends); the owner's text no longer holds the escalation; a staff alert that cannot go out goes one level up and shows on the case. */
  toldEveryServiceDay: { id: 'told-every-service-day', since: '2026-12-07' },
  /** A run may continue as new while its execution only waits on a party (goods back, inspection, repair); the next run resumes the plan where it stood. */
  continueWhileWaiting: { id: 'continue-while-waiting', since: '2026-12-07' },
  /** The priority tiers' own actions: a medium case's supervisor is told at opening, a routine case taken by an agent has its 30-minute target, a social-channel case its 2 h private message on the wall clock. */
  priorityTiers: { id: 'priority-tiers', since: '2026-12-07' },
  /** A deadline carried over continue-as-new tells its next service day counted from when it last told: no day skipped, no top-rung report made twice. */
  toldOnTimeAfterContinue: { id: 'told-on-time-after-continue', since: '2026-12-07' },
  /** A due time an action moves into the past (a priority raise) is one miss, one rung, its next window from the move: not the whole ladder at once. */
  oneRungWhenDueMoves: { id: 'one-rung-when-due-moves', since: '2026-12-07' },
  /** The customer chooses among the merchant's options (the choice is the proposal, with its own clock); a 7-day no-reason return is granted without approval. */
  customerChoice: { id: 'customer-choice', since: '2026-12-07' },
  /** A case is routed to the department of its category, which is told when the case opens (and again on a reclassification that moves it); its Department search attribute follows. */
  departmentRouting: { id: 'department-routing', since: '2026-12-07' },
  /** A high-priority case owes a phone call by a person within 24 h of execution, its outcome recorded; the SMS callback is the fallback. */
  phoneCallback: { id: 'phone-callback', since: '2026-12-07' },
  /** A run that continues as new between the top rung's last re-alert and the miss that ends the burst waits for that miss; older runs reported the day at once. */
  lastMissEndsTheBurst: { id: 'last-miss-ends-the-burst', since: '2026-12-07' },
  /** An approved apology is sent to the customer, in the words staff wrote when they wrote any. */
  apologySent: { id: 'apology-sent', since: '2026-12-07' },
  /** A joint third-party test: the merchant and the customer are told, the lab's result is awaited on its clock, and a confirmed defect sends the case back to be re-planned. */
  thirdPartyTesting: { id: 'third-party-testing', since: '2026-12-07' },
  /** A reminder after a pause counts its service day from the resume in a run carried over continue-as-new too; older runs counted from the last telling and reminded at once. */
  reminderAfterPause: { id: 'reminder-after-pause-across-runs', since: '2026-12-07' },
  /** A notice the plan sends the merchant runs a deadline while it is retried (the owner's, then the staff ladder); older runs ran none meanwhile. */
  merchantNoticeClock: { id: 'merchant-notice-clock', since: '2026-12-07' },
  /** The group counter waits for its members on one timer per expiry, outside the run's cancellation scope, so its waits no longer pile up in the worker's memory (docs/worker-memory.md). */
  groupOneClock: { id: 'group-one-clock', since: '2026-12-08' },
  /** The projection is written once everything a workflow task woke has run, so a replay that folds a task without commands into the next writes it as often as the run did (docs/determinism.md). */
  projectionAfterSettle: { id: 'projection-after-settle', since: '2026-12-08' },
  /** A suggestion from the phone callback reaches the department at the next service opening even when the case closed meanwhile: it is for the department, not about the open case. Older runs dropped it at the close. */
  suggestionOutlivesClose: { id: 'suggestion-outlives-close', since: '2026-12-08' },
} as const;
