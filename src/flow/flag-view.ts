/**
 * Reading flags: a {@link FlagView} wraps a stored {@link Flag} with `explain()`, a plain-text
 * account a reader can follow link by link, and `toJSON()`, a stable JSON form for other tools
 * (amounts as decimal strings, keys in a fixed order).
 */
import type { Flag } from '../model/flag.js';
import { toJsonValue } from '../model/json.js';

/** The JSON form of a flag: like {@link Flag}, with every `bigint` as a decimal string. */
export type FlagJson = Record<string, unknown>;

const HEURISTIC_WORDS: Readonly<Record<string, string>> = {
  'wildlife-listing': 'wildlife listing',
  'posted-address': 'address posted by the vendor',
  'payment-in': 'payment received',
  'taint-haircut': 'traced outflow (haircut)',
};

/** A flag with its explanation. */
export class FlagView {
  constructor(
    /** the stored flag */
    readonly flag: Flag,
  ) {}

  get id(): string {
    return this.flag.id;
  }

  get kind(): Flag['kind'] {
    return this.flag.kind;
  }

  get severity(): number {
    return this.flag.severity;
  }

  /** Stable JSON: every bigint a decimal string, object keys sorted. */
  toJSON(): FlagJson {
    return toJsonValue(this.flag) as FlagJson;
  }

  /**
   * A human-readable account of the flag: the listings and the words matched (with their spans
   * and pages), the vendor accounts and what linked them, the addresses posted, the merges that
   * built the clusters, and each flow with its transactions.
   */
  explain(): string {
    const f = this.flag;
    const lines: string[] = [];
    lines.push(`FLAG ${f.kind} — severity ${f.severity}/100${f.person ? ` — ${f.person}` : ''}`);
    lines.push('');
    lines.push('1. Wildlife listings');
    for (const id of f.listingIds) {
      const ev = f.evidence.find((e) => e.heuristic === 'wildlife-listing' && e.note?.startsWith(`listing ${id} `));
      lines.push(`   - ${ev?.note ?? `listing ${id}`}${ev ? ` [${ev.proof}]` : ''}`);
      for (const m of (f.matches ?? []).filter((x) => x.listingId === id)) {
        const where = m.spans.map((s) => `${s.field}[${s.span[0]},${s.span[1]})`).join(' ');
        const taxon = m.taxon ? `, ${m.taxon}, CITES ${m.appendix || 'not listed'}` : '';
        lines.push(`     matched "${m.term}" (${m.category}${taxon}; score ${m.score.toFixed(2)}) at ${where}`);
      }
    }
    lines.push(`2. Vendor accounts: ${f.vendorIds.join(', ')}`);
    const links = f.evidence.filter((e) => !(e.heuristic in HEURISTIC_WORDS) && !e.proof.startsWith('tx:'));
    for (const e of links) lines.push(`   - linked by ${e.heuristic} (confidence ${e.confidence}) [${e.proof}]${e.note ? ` ${e.note}` : ''}`);
    lines.push('3. Addresses posted');
    for (const e of f.evidence.filter((x) => x.heuristic === 'posted-address')) lines.push(`   - ${e.note} [${e.proof}]`);
    const merges = f.evidence.filter((e) => e.proof.startsWith('tx:') && e.heuristic !== 'payment-in' && e.heuristic !== 'taint-haircut');
    lines.push(`4. Address clusters: ${merges.length} merge${merges.length === 1 ? '' : 's'}`);
    for (const e of merges) lines.push(`   - ${e.heuristic} (confidence ${e.confidence}) [${e.proof}]`);
    lines.push(`5. Flows (${f.flows?.length ?? f.paths.length})`);
    for (const [i, flow] of (f.flows ?? []).entries()) {
      lines.push(`   - ${flow.chain} tx ${flow.txid}: ${flow.amount} ${flow.asset}${flow.counterparty ? ` ${f.kind === 'wildlife-payment-in' ? 'from' : 'to'} ${flow.counterparty}` : ''}${flow.counterpartyCategory ? ` (${flow.counterpartyCategory})` : ''}`);
      const path = f.paths[i] ?? [];
      if (path.length > 1) for (const s of path) lines.push(`       ${s.from} → ${s.to}: ${s.amount} in tx ${s.txid}`);
    }
    lines.push(`Pages: ${f.pages.map((p) => `${p.sha256}${p.url ? ` (${p.url})` : ''}`).join(', ') || 'none'}`);
    const totals = Object.entries(f.amounts).map(([asset, v]) => `${v} ${asset}`);
    lines.push(`Total: ${totals.join(', ')}`);
    return lines.join('\n');
  }
}
