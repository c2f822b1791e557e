import { stopAll } from '../../dev/stack/processes';

export default async function globalTeardown(): Promise<void> {
  await stopAll(globalThis.__TEST_STACK__ ?? []);
}
