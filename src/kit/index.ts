/** Helpers for target authors, so a target file holds only what is specific to its database. Depends only on src/core. */
export { HttpClient, statusError, transportError, type HttpCallOptions, type HttpClientOptions, type HttpResponse } from './http.js';
export { pollUntil, type PollOptions } from './poll.js';
export { TimeoutError, withTimeout } from './timeout.js';
export { describeOptions, parseOptions, type OptionHelp, type OptionsSchema } from '../core/options.js';
