/** The report room: HTML and JSON reports. Re-exports only. */
export * from './model.js';
export { renderHtmlReport, escapeHtml, highlight } from './html.js';
export { renderJsonReport } from './json.js';
export * from './quality.js';
export { renderRouteMap, planRouteMap, resolvePlace, listPlaces, knownPlaceNameCount, normalizePlaceName } from './route-map.js';
export type { RouteFlow, RouteMapOptions, RouteMapPlan, PlannedRoute, Place, PlaceKind } from './route-map.js';
export * from './trends.js';
export * from './trends-export.js';
export { renderTrendSection, routeFlows } from './trends-html.js';
