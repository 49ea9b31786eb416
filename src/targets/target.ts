/** Transition re-exports: the target and client types live in src/core (the public core). */
export { ClientError } from '../core/errors.js';
export type { CallOptions as ClientCallOptions, Client, Endpoint, KvClient, RegisterValue } from '../core/client.js';
export type { RawOptions as TargetOptions } from '../core/options.js';
export type { NodeSpec, Target, TargetCapabilities } from '../core/target.js';
