import { Order } from '../shared/domain';
import { DirectoryCustomer, MerchantOrderFigures } from '../shared/providers';
import { createHttpClient, ProviderRejected, type ProviderConfig } from './http';

/**
 * The order service and the customer directory, asked by the API at intake: amounts, merchant and
 * carrier, and the customer's language, come from here, never from the caller. Not an activity itself;
 * at intake a ProviderUnavailable here is the API's 503. The supplier watch's activity asks it for
 * each merchant's orders and returns (docs/domain.md §11.6).
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

    /** Orders paid and orders returned per merchant over `[from, to)`. */
    merchantFigures: (from: Date, to: Date): Promise<MerchantOrderFigures> =>
      http.get(
        `/orders/figures/merchants?${new URLSearchParams({ from: from.toISOString(), to: to.toISOString() }).toString()}`,
        MerchantOrderFigures,
      ),

    /** The directory answers for every customer id; one it does not know is a regular, zh-CN customer. */
    lookupCustomer: (customerId: string): Promise<DirectoryCustomer> =>
      http.get(`/customers/${encodeURIComponent(customerId)}`, DirectoryCustomer),
  };
}

export type OrdersClient = ReturnType<typeof createOrdersClient>;
