/** The report package's public surface: what the run pipeline and the CLI call. */
export { renderRunReport, type RenderedReport, type RenderOptions } from './render-run-report.js';
export { renderStoreIndex, storeIndexHtml } from './render-store-index.js';
