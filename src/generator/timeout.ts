/** The one withTimeout lives in the target kit; re-exported for the controller's modules. */
export { TimeoutError, withTimeout } from '../kit/timeout.js';
