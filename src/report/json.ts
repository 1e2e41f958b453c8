/** `report.json`: the report data as stable JSON (sorted keys, two-space indent). */
import { toJsonValue } from '../model/json.js';
import type { ReportData } from './model.js';

/** The report as JSON text, byte for byte the same for the same data. */
export function renderJsonReport(data: ReportData & Record<string, unknown>): string {
  return `${JSON.stringify(toJsonValue(data), null, 2)}\n`;
}
