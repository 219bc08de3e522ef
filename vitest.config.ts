import { defineConfig } from 'vitest/config';

/**
 * Unit tests run in parallel with no services; integration tests talk to the real RabbitMQ,
 * Redis and PostgreSQL, each file in a namespace of its own, one file at a time; the fault
 * suite (`test/fault/`) runs after both.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 0 },
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Faults and fuzzing against the real services, after the integration tests (they load
        // the machine and kill processes of their own): one file at a time, each bounded in time.
        test: {
          name: 'fault',
          sequence: { groupOrder: 1 },
          include: ['test/fault/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
