// The rooms of DESIGN.md, enforced: each folder may import only what its runtime allows.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS =
  '^(node:.*|assert|buffer|child_process|cluster|crypto|dgram|dns|events|fs|fs/promises|http|https|net|os|path|process|readline|stream|timers|tls|url|util|worker_threads|zlib)$';
const NODE_LIBRARIES = '^(ioredis|amqplib|pg|nodemailer|smtp-server|mailparser|fastify|@fastify/.*)$';
const room = (name) => `(^|/)${name}(/|$)`;
const SHARED_NODE = room('src-shared/node');

const refuse = (regex, message) => ({ regex, message });
const RAW_STATUS_WRITES = refuse('(^|/)status-script$', 'Status writes go through the named operations of JobStatusClient.');
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-shared/**'],
    ignores: ['src-shared/node/**'],
    rules: restrict(
      refuse(room('src-(main|worker|renderer)'), 'src-shared imports nothing of ours.'),
      refuse(SHARED_NODE, 'src-shared runs everywhere: src-shared/node is for main and the worker only.'),
      refuse('^\\./node(/|$)', 'src-shared runs everywhere: src-shared/node is for main and the worker only.'),
      refuse(NODE_BUILTINS, 'src-shared runs everywhere: no Node modules.'),
      refuse(NODE_LIBRARIES, 'src-shared runs everywhere: no Node libraries.'),
      refuse('^(electron|react|react-dom|zustand)$', 'src-shared imports no runtime framework.'),
    ),
  },
  {
    files: ['src-shared/node/**'],
    rules: restrict(
      refuse(room('src-(main|worker|renderer)'), 'src-shared/node imports src-shared and Node only.'),
      refuse('^(electron|react|react-dom|zustand)$', 'src-shared/node is shared by main and the worker: plain Node.'),
    ),
  },
  {
    files: ['src-renderer/**'],
    rules: restrict(
      refuse(room('src-(main|worker)'), 'The renderer imports src-shared only.'),
      refuse(SHARED_NODE, 'The renderer never imports src-shared/node (Node code of main and the worker).'),
      refuse(NODE_BUILTINS, 'The renderer never imports Node.'),
      refuse(NODE_LIBRARIES, 'The renderer never imports Node libraries.'),
      refuse('^electron$', 'The renderer reaches Electron only through the bridge.'),
      refuse('(^|/)status-(store|script)$|\\.lua\\?raw$', 'The status store and its Lua run in Node only.'),
    ),
  },
  {
    files: ['src-worker/**'],
    rules: restrict(
      refuse(room('src-(main|renderer)'), 'A worker imports src-shared only.'),
      refuse('^(electron|react|react-dom|zustand)$', 'A worker is a plain Node process.'),
      RAW_STATUS_WRITES,
    ),
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/electron/**', 'src-main/preload/**'],
    rules: restrict(
      refuse(room('src-(worker|renderer)'), 'src-main spawns workers and serves the renderer; it never imports them.'),
      refuse('^(electron|react|react-dom|zustand)$', 'Only src-main/electron and the preload import Electron.'),
      RAW_STATUS_WRITES,
    ),
  },
  {
    files: ['src-main/electron/**'],
    rules: restrict(
      refuse(room('src-(worker|renderer)'), 'src-main never imports the worker or the renderer.'),
      refuse('(^|/)preload(/|$)', 'The preload is its own build entry.'),
      refuse('^(react|react-dom|zustand)$', 'The Electron shell renders nothing itself.'),
    ),
  },
  {
    files: ['src-main/preload/**'],
    rules: restrict(
      refuse('^(?!electron$)(?!\\.\\.?/)', 'The preload imports only electron and src-shared.'),
      refuse('^\\.\\./(?!\\.\\./src-shared/)', 'The preload imports only electron and src-shared.'),
      refuse('^\\.\\./\\.\\./src-shared/.*\\.\\.', 'The preload imports only electron and src-shared.'),
      refuse(SHARED_NODE, 'The preload imports only electron and src-shared (not its Node room).'),
    ),
  },
);
