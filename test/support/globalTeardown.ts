import { stopAll } from '../../lib/stack';

export default async function globalTeardown(): Promise<void> {
  await stopAll(globalThis.__TEST_STACK__ ?? []);
}
