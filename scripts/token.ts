import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Role } from '../shared/domain';
import { signToken } from '../api/auth';
import { loadConfig } from '../config';

/**
 * Prints a dev bearer token signed with JWT_SECRET:
 *   npm run token -- --role agent --sub agent-7 [--merchant m-1] [--customer c-1] [--expires 12h]
 * `--expires` beyond JWT_MAX_TOKEN_AGE_S (12 h by default) is refused: the API would refuse the token.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      merchant: { type: 'string' },
      customer: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const role = Role.safeParse(values.role);
  if (!role.success || !values.sub) {
    throw new Error(
      `usage: npm run token -- --role <${Role.options.join('|')}> --sub <id> [--merchant m-1] [--customer c-1] [--expires 12h]`,
    );
  }
  const config = loadConfig();
  // Signed as the API verifies: its issuer and audience, and no longer-lived than it accepts (JWT_MAX_TOKEN_AGE_S).
  const token = await signToken(
    {
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      maxTokenAgeS: config.JWT_MAX_TOKEN_AGE_S,
    },
    { sub: values.sub, role: role.data, merchantId: values.merchant, customerId: values.customer },
    values.expires,
  );
  console.log(token);
}

main().catch((err: unknown) => {
  console.error(err instanceof z.ZodError ? z.prettifyError(err) : (err as Error).message);
  process.exit(1);
});
