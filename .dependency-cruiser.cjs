/**
 * Module boundaries of Tally's code, checked by `npm run check` (docs/architecture.md, "Rules that
 * keep the map"). A module is a folder under src/modules, or under src/modules/billing; another
 * module reaches it only through its index.ts, its public surface.
 */
const moduleOf = '^src/modules/(billing/[^/]+|[^/]+)/';
const anyIndex = '^src/modules/(billing/[^/]+|[^/]+)/index\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes load order decide behaviour and hides which module depends on which.',
      from: { path: '^(src|web/src)/' },
      to: { circular: true },
    },
    {
      name: 'module-internals',
      severity: 'error',
      comment: "A module reaches another only through that module's index.ts; what is not exported there is its own business.",
      from: { path: moduleOf },
      to: { path: '^src/modules/', pathNot: ['^src/modules/$1/', anyIndex] },
    },
    {
      name: 'own-index',
      severity: 'error',
      comment: 'Inside a module, files import each other directly: importing the own index.ts invites cycles.',
      from: { path: moduleOf, pathNot: anyIndex },
      to: { path: '^src/modules/$1/index\\.ts$' },
    },
    {
      name: 'edge-to-module-internals',
      severity: 'error',
      comment: 'The HTTP app, the CLI and the process entry reach modules through their index.ts too.',
      from: { path: '^src/(http|cli|main)' },
      to: { path: '^src/modules/', pathNot: anyIndex },
    },
    {
      name: 'platform-is-below-modules',
      severity: 'error',
      comment: 'platform/ is the infrastructure every module uses; it knows no module, no route and no command.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|http|cli)/' },
    },
    {
      name: 'modules-are-below-edges',
      severity: 'error',
      comment: 'Only route plugins (and the index.ts that exports them) use HTTP helpers; no module uses the CLI.',
      from: { path: '^src/modules/', pathNot: ['\\.routes\\.ts$', '/index\\.ts$'] },
      to: { path: '^src/(http|cli)/' },
    },
    {
      name: 'rating-is-pure',
      severity: 'error',
      comment: 'The rating engine is a pure function of terms and delivery: no I/O, no clock, no database.',
      from: { path: '^src/modules/rating/' },
      to: {
        pathNot: [
          '^src/modules/rating/',
          '^src/platform/(periods|dates|instants)\\.ts$',
          '^src/wire/',
          '^src/modules/contracts/index\\.ts$',
          'node_modules/(decimal\\.js|fast-json-stable-stringify)/',
        ],
      },
    },
    {
      name: 'wire-is-shared',
      severity: 'error',
      comment: 'src/wire is shared by the server and the browser: it imports nothing but itself, zod and decimal.js.',
      from: { path: '^src/wire/' },
      to: { pathNot: ['^src/wire/', 'node_modules/(zod|decimal\\.js)/'] },
    },
    {
      name: 'web-reaches-only-wire',
      severity: 'error',
      comment: 'The web app shares only src/wire with the server (types and tables); it never imports server code.',
      from: { path: '^web/src/' },
      to: { path: '^src/', pathNot: '^src/wire/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
