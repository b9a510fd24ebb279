/**
 * Whether this server already answers the billing API (SPEC §5), which is being built alongside
 * the app. The navigation shows a clearly marked billing entry only when it does; the billing
 * screens themselves come in a later slice, so nothing here reads documents yet.
 */
import { api } from '../../app/api.ts';

export const billingApi = api.injectEndpoints({
  endpoints: (build) => ({
    billingAvailable: build.query<boolean, void>({
      async queryFn(_argument, _api, _extra, baseQuery) {
        const probe = await baseQuery({ url: '/invoices', params: { limit: 1 } });
        if (!probe.error) return { data: true };
        // An older server has no such route: that is an answer, not an error.
        if (probe.error.status === 404) return { data: false };
        return { error: probe.error };
      },
      keepUnusedDataFor: 3600,
    }),
  }),
});

export const { useBillingAvailableQuery } = billingApi;
