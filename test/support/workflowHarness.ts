import { type Harness, startHarness } from '../../dev/stack/harness';
import { lateBound } from './lateBound';

/**
 * A workflow suite's harness (a time-skipping server, the sandbox, a worker), started by the hooks
 * this registers, as `useApiHarness` does for the API suites. `each`: a harness per test, for suites
 * whose tests skip far ahead (a time-skipping server and its connection live seconds, not minutes).
 */
export function useWorkflowHarness(suite: string, { each = false }: { each?: boolean } = {}): Harness {
  let current: Harness | undefined;
  (each ? beforeEach : beforeAll)(async () => {
    current = await startHarness(suite);
  });
  (each ? afterEach : afterAll)(async () => {
    await current?.close();
    current = undefined;
  });
  return lateBound(() => current, `the ${suite} harness`);
}
