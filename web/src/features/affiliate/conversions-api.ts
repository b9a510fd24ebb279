/**
 * Clicks and conversions as the affiliate explorer reads them (SPEC §9): a contract's conversions
 * by status, one conversion with its attribution and status history, and a contract's clicks.
 */
import { api, type Page } from '../../app/api.ts';
import {
  conversionStatuses,
  type AttributedTouch,
  type ClickView,
  type ConversionDetail,
  type ConversionStatus,
  type ConversionStatusEvent,
  type ConversionView,
} from '../../../../src/wire/delivery.ts';

export { conversionStatuses };
export type { AttributedTouch, ClickView, ConversionDetail, ConversionStatus, ConversionStatusEvent, ConversionView };

export interface ConversionListQuery {
  contractId: string;
  status?: ConversionStatus | undefined;
  /** The credited partner. */
  partnerId?: string | undefined;
  /** The scrub rule that decided the conversion at intake. */
  ruleId?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}

export interface ClickListQuery {
  contractId: string;
  partnerId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
  limit?: number;
}

export const conversionsApi = api.enhanceEndpoints({ addTagTypes: ['Conversion', 'Click'] }).injectEndpoints({
  endpoints: (build) => ({
    listConversions: build.query<Page<ConversionView>, ConversionListQuery>({
      query: ({ contractId, status, partnerId, ruleId, cursor, limit = 50 }) => ({
        url: '/conversions',
        params: { contractId, status, partnerId, ruleId, cursor, limit },
      }),
      providesTags: (page) => [
        'Delivery',
        { type: 'Conversion', id: 'LIST' },
        ...(page?.data ?? []).map((conversion) => ({ type: 'Conversion' as const, id: conversion.id })),
      ],
    }),
    getConversion: build.query<ConversionDetail, string>({
      query: (id) => `/conversions/${encodeURIComponent(id)}`,
      providesTags: (_conversion, _error, id) => ['Delivery', { type: 'Conversion', id }],
    }),
    listClicks: build.query<Page<ClickView>, ClickListQuery>({
      query: ({ contractId, partnerId, from, to, cursor, limit = 50 }) => ({
        url: '/clicks',
        params: { contractId, partnerId, from, to, cursor, limit },
      }),
      providesTags: ['Delivery', 'Click'],
    }),
  }),
});

export const { useListConversionsQuery, useGetConversionQuery, useListClicksQuery } = conversionsApi;
