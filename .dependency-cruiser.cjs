/**
 * The layering of functions/ (docs/architecture.md), checked by `npm run lint`.
 * Tests and benchmarks may reach into a module's internals; nothing else may.
 */
const modules = '^functions/(domain|adapters|stages)/[^/]+/';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'Domain libraries see no AWS SDK, no Lambda event shape and no adapter, stage or handler: they run the same in Lambda, locally and in a bench.',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: {
        path: [
          '^functions/(adapters|stages|handlers)/',
          '@aws-sdk/',
          '@aws-lambda-powertools/',
          '^node_modules/aws-lambda/',
          '^node_modules/@types/aws-lambda/',
        ],
      },
    },
    {
      name: 'handlers-are-the-top',
      comment: 'Only the local mode imports a handler module (to build it as Lambda does); stages and adapters never do.',
      severity: 'error',
      from: { path: '^functions/(domain|adapters|stages|config)/' },
      to: { path: '^functions/handlers/' },
    },
    {
      name: 'functions-stand-alone',
      comment: 'What is deployed imports nothing from the stack, the local mode, the CLI, tests or benches.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(lib|local|cli|bin|scripts|tests|bench|viewer)/' },
    },
    {
      name: 'enter-modules-through-index',
      comment: 'A module is used through its index.ts (embed also has onnx.ts, which loads onnxruntime-node); type-only imports are free.',
      severity: 'error',
      from: { path: '^(functions|lib|local|cli|bin|scripts|viewer)/', pathNot: '^functions/(domain|adapters|stages)/[^/]+/' },
      to: {
        path: `${modules}.+`,
        pathNot: ['/index\\.ts$', '^functions/domain/embed/onnx\\.ts$', '\\.json$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'enter-other-modules-through-index',
      comment: 'Inside functions/, one module uses another through its index.ts too.',
      severity: 'error',
      from: { path: '^functions/(domain|adapters|stages)/([^/]+)/' },
      to: {
        path: `${modules}.+`,
        pathNot: ['^functions/$1/$2/', '/index\\.ts$', '^functions/domain/embed/onnx\\.ts$', '\\.json$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
