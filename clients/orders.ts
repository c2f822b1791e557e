import { Order } from '../shared/domain';
import { DirectoryCustomer } from '../shared/providers';
import { createHttpClient, ProviderRejected, type ProviderConfig } from './http';

/**
 * The order service and the customer directory, asked by the API at intake: amounts, merchant and
 * carrier, and the customer's language, come from here, never from the caller. Not an activity; a
 * ProviderUnavailable here is the API's 503.
 */
export function createOrdersClient(cfg: ProviderConfig) {
  const http = createHttpClient({ timeoutMs: 3_000, ...cfg, name: 'orders' });

  return {
    lookupOrder: async (orderId: string): Promise<Order | null> => {
      try {
        return await http.get(`/orders/${encodeURIComponent(orderId)}`, Order);
      } catch (err) {
        if (err instanceof ProviderRejected && err.status === 404) return null;
        throw err;
      }
    },

    /** The directory answers for every customer id; one it does not know is a regular, zh-CN customer. */
    lookupCustomer: (customerId: string): Promise<DirectoryCustomer> =>
      http.get(`/customers/${encodeURIComponent(customerId)}`, DirectoryCustomer),
  };
}

export type OrdersClient = ReturnType<typeof createOrdersClient>;
