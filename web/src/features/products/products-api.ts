/**
 * The product catalog (SPEC §8): what rate cards price and line items sell. Its cache tags are
 * added here, with the endpoints, so that the catalog's code loads only with the screens that use it.
 */
import { api, type Page } from '../../app/api.ts';
import type { CreateProductInput, Product } from '../../../../src/wire/rate-cards.ts';

export type { CreateProductInput, Product };

/** The most products one request answers (the API's page limit): the pickers offer this many. */
export const productPageMax = 500;

export const productsApi = api.enhanceEndpoints({ addTagTypes: ['ProductList'] }).injectEndpoints({
  endpoints: (build) => ({
    listProducts: build.query<Page<Product>, { cursor?: string | undefined; limit?: number }>({
      query: ({ cursor, limit = 50 }) => ({ url: '/products', params: { cursor, limit } }),
      providesTags: ['ProductList'],
    }),
    createProduct: build.mutation<Product, CreateProductInput>({
      query: (body) => ({ url: '/products', method: 'POST', body }),
      invalidatesTags: ['ProductList', 'Audit'],
    }),
  }),
});

export const { useListProductsQuery, useCreateProductMutation } = productsApi;
