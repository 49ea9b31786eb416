/** Declarative targets: an existing image with an HTTP API described in one .json or .yaml file, no code. */
export { loadDeclarativeTarget, readTargetFile, fileProblems, parseTargetText, formatProblems } from './loader.js';
export { declarativeTarget } from './target.js';
export { targetFileSchema, type TargetFile } from './schema.js';
export { targetJsonSchema } from './json-schema.js';
