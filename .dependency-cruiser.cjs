/**
 * Import rules: the folder table in ARCHITECTURE.md, made executable. `npm test` runs
 * `depcruise` with this file before jest, so a forbidden import fails the build.
 */
const infrastructure = '^node_modules/(botbuilder|botbuilder-core|botbuilder-dialogs|botframework-[^/]+|restify|lowdb|steno|ws|pg)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'services-are-pure-domain',
      comment: 'services/ is the domain: no Bot Framework, HTTP, storage engine, cards, dialogs or adapters.',
      severity: 'error',
      from: { path: '^services/' },
      to: { path: [infrastructure, '^(cards|dialogs|bots|server|storage|composition|logging)/', '^(config|index)\\.ts$'] },
    },
    {
      name: 'cards-are-views',
      comment: 'cards/ are pure functions from a typed model to a card: they know services types, nothing of the flow or the SDK.',
      severity: 'error',
      from: { path: '^cards/' },
      to: { path: [infrastructure, '^(dialogs|bots|server|storage|composition)/', '^(config|index)\\.ts$'] },
    },
    {
      name: 'dialogs-know-no-transport-or-storage',
      comment: 'dialogs/ hold conversation flow; storage and HTTP reach them only through services ports.',
      severity: 'error',
      from: { path: '^dialogs/' },
      to: { path: ['^node_modules/(restify|lowdb|steno|ws|pg)/', '^(bots|server|storage|composition)/', '^(config|index)\\.ts$'] },
    },
    {
      name: 'bots-route-activities',
      comment: 'bots/ route activities and send proactive messages; they do not reach into HTTP or storage adapters.',
      severity: 'error',
      from: { path: '^bots/' },
      to: { path: ['^node_modules/(restify|lowdb|steno|ws|pg)/', '^(server|storage|composition)/', '^(config|index)\\.ts$'] },
    },
    {
      name: 'storage-adapts-ports',
      comment: 'storage/ implements services ports (and botbuilder Storage); it knows no flow, views or HTTP.',
      severity: 'error',
      from: { path: '^storage/' },
      to: { path: ['^node_modules/(restify|ws)/', '^(cards|dialogs|bots|server|composition)/', '^(config|index)\\.ts$'] },
    },
    {
      name: 'pg-only-in-its-adapters',
      comment:
        'The PostgreSQL driver is an adapter detail: only storage/postgres/ (and the wiring, scripts and tests around it) may import pg.',
      severity: 'error',
      from: { pathNot: '^(storage/postgres|composition|scripts|bench|test)/' },
      to: { path: '^node_modules/(pg|pg-[^/]+|node-pg-migrate)/' },
    },
    {
      name: 'postgres-adapters-adapt-ports',
      comment: 'storage/postgres/ implements services ports on pg; it knows neither the file adapters nor the flow, views or HTTP.',
      severity: 'error',
      from: { path: '^storage/postgres/' },
      to: {
        path: [
          '^node_modules/(restify|ws|lowdb|steno)/',
          '^storage/(?!postgres/|eTagConflict\\.ts$)',
          '^(cards|dialogs|bots|server|composition)/',
        ],
      },
    },
    {
      name: 'server-is-http',
      comment:
        'server/ is HTTP: routes, the local Direct Line, tokens and the tab API. It runs turns through the adapter, never dialogs directly.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: ['^(dialogs|bots|composition)/', '^index\\.ts$'] },
    },
    {
      name: 'only-the-entry-point-reads-config',
      comment: 'config.ts reads the environment once; only the composition, the entry point and command-line tools import it.',
      severity: 'error',
      from: { path: '^(services|cards|dialogs|bots|storage|server|logging)/' },
      to: { path: '^config\\.ts$', dependencyTypes: ['local'] },
    },
    {
      name: 'nothing-imports-tests',
      comment: 'Production code, scripts and benchmarks never import test helpers or fakes.',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports is dead code, unless it is an entry point.',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '(^|/)\\.[^/]+\\.(c|m)?js$',
          '\\.d\\.ts$',
          '^index\\.ts$',
          '^(scripts|bench)/',
          '^test/.*\\.test\\.ts$',
          '(^|/)(eslint|jest)\\.config\\.(c|m)?js$',
        ],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|build|coverage|public|test-artifacts|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
