/**
 * Faultline's public entry: `import { defineTarget, HttpClient, z } from 'faultline'`. Everything a
 * target, workload, fault or model in your own project needs, and nothing else. Kept small and stable.
 */
export * from './core/index.js';
export * from './kit/index.js';
export { z } from 'zod';
