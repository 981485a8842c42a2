// The PostgreSQL project's global setup: one throwaway cluster for the run; each receiver a test
// starts makes its own database on it (see harness.ts).
import type { TestProject } from 'vitest/node';
import { startCluster } from '../postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startCluster();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
