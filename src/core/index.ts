/** The public, typed core of Faultline. Imports nothing from the rest of the project (node and zod only). */
export { EXIT, UsageError, ClientError } from './errors.js';
export { missingVerbs, type CallOptions, type Client, type ClientWith, type Endpoint, type KvClient, type KvVerbs, type RegisterValue } from './client.js';
export type { Cluster, ExecResult } from './cluster.js';
export { isImageRecipe, type ExistingImage, type ImageRecipe, type PrepareEnv, type TargetImage } from './image.js';
export { describeOptions, describeOptionType, isOptionsSchema, noOptions, parseOptions, type OptionHelp, type OptionsSchema, type RawOptions } from './options.js';
export { defineTarget, isTarget, targetProblems, type NodeContext, type NodeSpec, type Target, type TargetCapabilities, type TargetDefinition } from './target.js';
export { defineWorkload, type OpStream, type PlannedOp, type Random, type Workload, type WorkloadCheck, type WorkloadOptions } from './workload.js';
export { defineFault, type Fault, type FaultCapability, type FaultContext, type FaultDescription, type FaultOptions, type FaultPlan, type FaultResult } from './fault.js';
export { defineModel, type Model } from './model.js';
export type { HistoryOp, OpType, Operation, ProcessId, Verdict } from './history.js';
