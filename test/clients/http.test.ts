import { createServer, type AddressInfo } from 'node:net';
import { createHttpClient, ProviderRejected, ProviderUnavailable } from '../../clients/http';
import { createOrdersClient } from '../../clients/orders';
import { Order } from '../../shared/domain';
import { uid, useSandbox } from '../sandbox/testSandbox';

const t = useSandbox();

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the provider HTTP client', () => {
  it('reports a refused connection as ProviderUnavailable', async () => {
    const closed = createOrdersClient({ ...t.provider, baseUrl: `http://127.0.0.1:${await closedPort()}` });
    await expect(closed.lookupOrder('o-1')).rejects.toThrow(ProviderUnavailable);
  });

  it('reports an answer of the wrong shape as ProviderUnavailable, and a refusal as ProviderRejected with the complaint id', async () => {
    const http = createHttpClient({ ...t.provider, timeoutMs: 2_000, name: 'orders' });
    try {
      await expect(http.get('/healthz', Order)).rejects.toThrow(/malformed answer/);
      const refused = http.post('/payments/refunds', { bad: true }, Order, {
        complaintId: 'C-42',
        idempotencyKey: 'k',
      });
      await expect(refused).rejects.toThrow(ProviderRejected);
      await expect(refused).rejects.toMatchObject({
        status: 400,
        code: 'invalid_request',
        complaintId: 'C-42',
      });
      await expect(refused).rejects.toThrow('complaint C-42');
    } finally {
      await http.close();
    }
  });

  it('keeps a base URL path prefix', async () => {
    const orderId = uid('o');
    await t.putOrder(orderId);
    await expect(
      createOrdersClient({ ...t.provider, baseUrl: `${t.sandbox.url}/` }).lookupOrder(orderId),
    ).resolves.toMatchObject({ orderId });
    await expect(
      createOrdersClient({ ...t.provider, baseUrl: `${t.sandbox.url}/v2/` }).lookupOrder(orderId),
    ).resolves.toBeNull();
  });
});
