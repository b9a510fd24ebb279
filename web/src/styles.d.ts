/** Stylesheets are imported for their side effect; Vite bundles them (TypeScript checks that a side-effect import resolves). */
declare module '*.css';
