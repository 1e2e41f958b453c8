/**
 * The report's data: what `report.json` holds and what `report.html` shows. Plain JSON (amounts
 * as decimal strings), built by the pipeline from the case; deterministic for the same case.
 */
import type { TrendReport } from './trends.js';

/** A wildlife match in a listing, for highlighting. */
export interface ReportMatch {
  readonly term: string;
  readonly category: string;
  readonly score: number;
  readonly taxon?: string;
  readonly appendix?: string;
  readonly spans: readonly { readonly field: 'title' | 'description'; readonly span: readonly [number, number] }[];
}

/** A listing as the report shows it (scraped text, always escaped when rendered). */
export interface ReportListing {
  readonly id: string;
  readonly market: string;
  readonly vendor?: string;
  readonly title: string;
  readonly description?: string;
  readonly price?: string;
  readonly currency?: string;
  readonly wildlife: boolean;
  readonly matches: readonly ReportMatch[];
  readonly page?: string;
}

/** A flag as the report shows it. */
export interface ReportFlag {
  readonly id: string;
  readonly kind: string;
  readonly severity: number;
  readonly person?: string;
  readonly vendorIds: readonly string[];
  readonly listingIds: readonly string[];
  /** asset → decimal string of base units */
  readonly amounts: Readonly<Record<string, string>>;
  readonly flows: number;
  /** the plain-text explanation (`FlagView.explain()`) */
  readonly explanation: string;
  /** graph node ids the flag touches, for highlighting */
  readonly nodes?: readonly string[];
}

/** A community as the report shows it. */
export interface ReportCommunity {
  readonly id: number;
  readonly size: number;
  readonly members: readonly string[];
  readonly valueIn?: string;
  readonly valueOut?: string;
  readonly tags: readonly string[];
  readonly vendors: readonly string[];
  readonly flaggedListings: readonly string[];
}

/** A node of the report's entity graph. */
export interface ReportNode {
  readonly id: string;
  readonly label: string;
  /** `cluster`, `person`, `service`, `listing` */
  readonly kind: string;
  readonly community?: number;
  readonly flagged?: boolean;
  /** addresses, handles and tags to search by */
  readonly search?: readonly string[];
  /** key → value shown when the node is clicked */
  readonly details?: Readonly<Record<string, string>>;
}

/** An edge of the report's entity graph. */
export interface ReportEdge {
  readonly source: string;
  readonly target: string;
  /** `flow`, `advertised`, `same-person` */
  readonly kind: string;
  /** decimal string of base units, for flows */
  readonly value?: string;
  readonly txCount?: number;
  readonly flagged?: boolean;
}

/** Everything a report holds. */
export interface ReportData {
  readonly title: string;
  /** what the case was built from (seed, directory, …) */
  readonly source: string;
  readonly summary: Readonly<Record<string, string | number>>;
  readonly quality?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly flags: readonly ReportFlag[];
  readonly communities: readonly ReportCommunity[];
  readonly listings: readonly ReportListing[];
  readonly graph: { readonly nodes: readonly ReportNode[]; readonly edges: readonly ReportEdge[] };
  /** trends across the case's snapshots (src/report/trends.ts), when it holds any */
  readonly trends?: TrendReport;
}
