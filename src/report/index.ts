/** The report room: HTML and JSON reports. Re-exports only. */
export * from './model.js';
export { renderHtmlReport, escapeHtml, highlight } from './html.js';
export { renderJsonReport } from './json.js';
export * from './quality.js';
