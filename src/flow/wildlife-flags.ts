/**
 * Wildlife flags: from a wildlife listing to the money, with a chain of evidence.
 *
 * The rule chain, for each vendor person that has at least one wildlife listing:
 * 1. the wildlife listings (detector matches, with the archived page each came from);
 * 2. the person's vendor accounts (and the evidence that linked them);
 * 3. the addresses the person posted (vendor pages, listings);
 * 4. Bitcoin: the address clusters of those addresses (with the merges that built them);
 * 5. the flows:
 *    - **payments in**: transactions paying an address of those clusters whose inputs are not in
 *      them (buyers), and on Ethereum transfers to a posted address from outside the person;
 *    - **cash-outs and laundering**: taint traced forward (haircut, `hops`) from every output
 *      paying the clusters, stopping at addresses tagged exchange, mixer or sanctioned; on
 *      Ethereum, transfers out of the person to a tagged service, or to a deposit address that
 *      forwards to one.
 * One flag per person and kind, holding every flow of that kind; severity as in docs/scoring.md.
 */
import type { Address } from '../model/address.js';
import type { Evidence, Link } from '../model/evidence.js';
import type { Flag, FlagFlow, FlagKind, FlagMatch, FlowStep } from '../model/flag.js';
import type { Listing, PageRef, Vendor } from '../model/market.js';
import type { Transfer } from '../model/transfer.js';
import type { Outpoint, SpendGraph } from './spend-graph.js';
import { traceTaint, type StopRule } from './trace-utxo.js';

/** A wildlife match as the flags need it (the detector's `ListingWildlifeMatch` fits). */
export interface ListingMatchLike {
  readonly category: string;
  readonly term: string;
  readonly score: number;
  readonly taxon?: { readonly name: string; readonly appendix: string };
  readonly spans: readonly (readonly [number, number])[];
  readonly fields?: readonly ('title' | 'description')[];
}

/** A vendor person: the vendor accounts that are one actor, with the evidence that joined them. */
export interface PersonLike {
  readonly id: string;
  readonly vendorIds: readonly string[];
  readonly evidence?: readonly Evidence[];
}

/** A service tag as the flags need it. */
export interface ServiceTag extends StopRule {
  /** GraphSense category: `exchange`, `mixing_service`, … */
  readonly category?: string;
  /** GraphSense concepts and abuse ids (`sanction`, `mixing`, …) */
  readonly concepts?: readonly string[];
}

/** Everything the rule chain reads. Each part may be absent; the chain then stops there. */
export interface WildlifeFlagInputs {
  readonly listings: readonly Listing[];
  readonly vendors: readonly Vendor[];
  /** matches per listing id, only for listings judged wildlife */
  readonly matches: ReadonlyMap<string, readonly ListingMatchLike[]>;
  /** vendor persons; a vendor in none is a person of its own */
  readonly persons?: readonly PersonLike[];
  /** Bitcoin: the addresses in the cluster of `address` (itself alone when unclustered) */
  readonly clusterMembers?: (address: string) => readonly string[];
  /** Bitcoin: the merges joining two addresses of one cluster */
  readonly explainLink?: (a: string, b: string) => readonly Link[] | Promise<readonly Link[]>;
  readonly spendGraph?: SpendGraph;
  /** Ethereum (and other account-chain) transfers of the case */
  readonly transfers?: readonly Transfer[];
  /** the service tag that covers `address` (its own, or its cluster's) */
  readonly serviceOf?: (address: Address) => ServiceTag | undefined;
}

/** Options of {@link wildlifeFlags}. */
export interface WildlifeFlagOptions {
  /** hops traced forward from the person's clusters (default 6) */
  hops?: number;
  /** which service tags end a trace and raise a flag (default {@link serviceFlagKind}) */
  flagKindOf?: (tag: ServiceTag) => FlagKind | undefined;
}

/**
 * The flag kind of a flow ending at a service with this tag: sanctioned (concept or category
 * `sanction`/`sanctioned`) before mixing (`mixing_service`, `mixer`, `mixing`, `coinjoin`)
 * before exchanges; anything else raises no flag.
 */
export function serviceFlagKind(tag: Pick<ServiceTag, 'category' | 'concepts'>): FlagKind | undefined {
  const ids = new Set([tag.category ?? '', ...(tag.concepts ?? [])]);
  if (ids.has('sanction') || ids.has('sanctioned')) return 'wildlife-to-sanctioned';
  if (ids.has('mixing_service') || ids.has('mixer') || ids.has('mixing') || ids.has('coinjoin')) return 'wildlife-to-mixer';
  if (ids.has('exchange')) return 'wildlife-cashout-exchange';
  return undefined;
}

/** Base severity per kind (docs/scoring.md). */
export const FLAG_BASE_SEVERITY: Readonly<Record<FlagKind, number>> = {
  'wildlife-vendor-address': 30,
  'wildlife-payment-in': 45,
  'wildlife-cashout-exchange': 55,
  'wildlife-to-mixer': 70,
  'wildlife-to-sanctioned': 80,
};

/**
 * Severity 0–100: the base of the kind, plus up to 12 for the gravest CITES listing matched
 * (Appendix I 12, II 6, III or unlisted 2), plus up to 5 for the detector's confidence, plus up
 * to 3 for the number of flows (1 per order of magnitude). See docs/scoring.md.
 */
export function flagSeverity(kind: FlagKind, matches: readonly FlagMatch[], flowCount: number): number {
  const appendices = matches.map((m) => m.appendix ?? '');
  const cites = appendices.some((a) => /(^|\/)I($|\/)/.test(a)) ? 12 : appendices.some((a) => a.includes('II')) ? 6 : 2;
  const confidence = Math.round(5 * Math.max(0, ...matches.map((m) => m.score)));
  const volume = Math.min(3, Math.floor(Math.log10(Math.max(1, flowCount)) + (flowCount > 0 ? 1 : 0)));
  return Math.min(100, FLAG_BASE_SEVERITY[kind] + cites + confidence + volume);
}

const pageOf = (source?: PageRef): PageRef[] => (source ? [{ sha256: source.sha256, ...(source.url ? { url: source.url } : {}) }] : []);

/** Runs the rule chain and returns the flags, ordered by severity then id. */
export async function wildlifeFlags(inputs: WildlifeFlagInputs, options: WildlifeFlagOptions = {}): Promise<Flag[]> {
  const hops = options.hops ?? 6;
  const kindOf = options.flagKindOf ?? serviceFlagKind;
  const vendorsById = new Map(inputs.vendors.map((v) => [v.id, v]));
  const listingsByVendor = new Map<string, Listing[]>();
  for (const l of inputs.listings) {
    if (!l.vendorId) continue;
    const list = listingsByVendor.get(l.vendorId);
    if (list) list.push(l);
    else listingsByVendor.set(l.vendorId, [l]);
  }
  const personOfVendor = new Map<string, PersonLike>();
  for (const p of inputs.persons ?? []) for (const v of p.vendorIds) personOfVendor.set(v, p);
  const personFor = (vendorId: string): PersonLike => personOfVendor.get(vendorId) ?? { id: `vendor:${vendorId}`, vendorIds: [vendorId] };

  // 1–2. wildlife listings grouped by person
  const byPerson = new Map<string, { person: PersonLike; listings: Listing[] }>();
  for (const l of inputs.listings) {
    if (!l.vendorId || !(inputs.matches.get(l.id)?.length)) continue;
    const person = personFor(l.vendorId);
    const entry = byPerson.get(person.id) ?? { person, listings: [] };
    entry.listings.push(l);
    byPerson.set(person.id, entry);
  }

  const flags: Flag[] = [];
  const stopAt = (address: string) => {
    const tag = inputs.serviceOf?.({ chain: 'btc', address });
    return tag && kindOf(tag) ? tag : undefined;
  };
  for (const { person, listings } of [...byPerson.values()].sort((a, b) => (a.person.id < b.person.id ? -1 : 1))) {
    const matches: FlagMatch[] = listings.flatMap((l) =>
      (inputs.matches.get(l.id) ?? []).map((m) => ({
        listingId: l.id,
        category: m.category,
        term: m.term,
        score: m.score,
        ...(m.taxon ? { taxon: m.taxon.name, appendix: m.taxon.appendix } : {}),
        spans: m.spans.map((span, i) => ({ field: m.fields?.[i] ?? ('title' as const), span: [span[0], span[1]] as const })),
      })),
    );
    const evidence: Evidence[] = [];
    const pages: PageRef[] = [];
    for (const l of listings) {
      pages.push(...pageOf(l.source));
      evidence.push({ heuristic: 'wildlife-listing', proof: l.source ? `page:${l.source.sha256}` : `listing:${l.id}`, confidence: Math.max(...(inputs.matches.get(l.id) ?? []).map((m) => m.score)), note: `listing ${l.id} "${l.title}"` });
    }
    const vendorIds = [...new Set([...person.vendorIds, ...listings.map((l) => l.vendorId!)])].sort();
    evidence.push(...(person.evidence ?? []));

    // 3. posted addresses
    const posted = new Map<string, { address: Address; source?: PageRef }>();
    for (const vid of vendorIds) {
      const v = vendorsById.get(vid);
      for (const a of v?.addresses ?? []) posted.set(`${a.chain}:${a.address}`, { address: a, source: v?.source });
    }
    for (const vid of vendorIds) {
      for (const l of listingsByVendor.get(vid) ?? []) for (const a of l.addresses ?? []) posted.set(`${a.chain}:${a.address}`, { address: a, source: l.source });
    }
    for (const { address, source } of posted.values()) {
      evidence.push({ heuristic: 'posted-address', proof: source ? `page:${source.sha256}` : `vendor:${vendorIds[0]}`, confidence: 1, note: `${address.chain} ${address.address}` });
      pages.push(...pageOf(source));
    }

    const flows = new Map<FlagKind, { flow: FlagFlow; path: FlowStep[] }[]>();
    const seenFlows = new Set<string>();
    const add = (kind: FlagKind, flow: FlagFlow, path: FlowStep[]) => {
      const key = `${kind}\u0000${flow.txid}\u0000${flow.counterparty ?? ''}`;
      if (seenFlows.has(key)) return;
      seenFlows.add(key);
      const list = flows.get(kind) ?? [];
      list.push({ flow, path });
      flows.set(kind, list);
    };

    // 4–5. Bitcoin
    const postedBtc = [...posted.values()].filter((p) => p.address.chain === 'btc').map((p) => p.address.address);
    if (inputs.spendGraph && postedBtc.length > 0) {
      // each member of the person's clusters, with the first posted address of its cluster
      const members = new Map<string, string>();
      for (const a of postedBtc) for (const m of inputs.clusterMembers?.(a) ?? [a]) if (!members.has(m)) members.set(m, a);
      const memberList = [...members.keys()].sort();
      // cluster evidence: how each member joins that posted address
      if (inputs.explainLink) {
        const seenMerges = new Set<string>();
        for (const m of memberList) {
          const anchor = members.get(m)!;
          if (anchor === m) continue;
          for (const link of await inputs.explainLink(anchor, m)) {
            const key = `${link.evidence.heuristic}:${link.evidence.proof}`;
            if (seenMerges.has(key)) continue;
            seenMerges.add(key);
            evidence.push(link.evidence);
          }
        }
      }
      const sources: Outpoint[] = [];
      for (const m of memberList) {
        for (const o of await inputs.spendGraph.outputsOf(m)) {
          sources.push(o);
          const tx = await inputs.spendGraph.getTx(o.txid);
          if (!tx || tx.inputs.some((i) => i.coinbase)) continue;
          const internal = tx.inputs.some((i) => i.address !== undefined && members.has(i.address));
          if (internal) continue;
          const payer = tx.inputs.find((i) => i.address)?.address;
          add(
            'wildlife-payment-in',
            { chain: 'btc', txid: tx.txid, asset: 'btc', amount: tx.outputs[o.vout].value, ...(payer ? { counterparty: payer } : {}) },
            [{ txid: tx.txid, from: payer ?? 'unknown', to: m, amount: tx.outputs[o.vout].value }],
          );
        }
      }
      if (sources.length > 0) {
        const trace = await traceTaint(inputs.spendGraph, sources, { policy: 'haircut', hops, stopAt });
        for (const path of trace.paths) {
          if (path.end !== 'stop' || !path.stop || path.steps.length === 0) continue;
          const kind = kindOf(path.stop as ServiceTag);
          if (!kind) continue;
          const last = path.steps[path.steps.length - 1];
          add(kind, { chain: 'btc', txid: last.txid, asset: 'btc', amount: path.amount, counterparty: path.stop.label, counterpartyCategory: path.stop.category }, [...path.steps]);
        }
      }
    }

    // 4–5. Ethereum
    const postedEth = new Set([...posted.values()].filter((p) => p.address.chain === 'eth').map((p) => p.address.address.toLowerCase()));
    if (inputs.transfers && postedEth.size > 0) {
      const serviceEth = (address: string) => {
        const tag = inputs.serviceOf?.({ chain: 'eth', address });
        return tag && kindOf(tag) ? tag : undefined;
      };
      const outgoing = new Map<string, Transfer[]>();
      for (const t of inputs.transfers) {
        const from = t.from.toLowerCase();
        const list = outgoing.get(from) ?? [];
        list.push(t);
        outgoing.set(from, list);
      }
      for (const t of inputs.transfers) {
        if (t.kind === 'erc721') continue;
        const from = t.from.toLowerCase();
        const to = t.to.toLowerCase();
        if (postedEth.has(to) && !postedEth.has(from)) {
          add('wildlife-payment-in', { chain: 'eth', txid: t.txHash, asset: t.asset, amount: t.value, counterparty: from }, [{ txid: t.txHash, from, to, amount: t.value }]);
        }
        if (postedEth.has(from) && !postedEth.has(to)) {
          const direct = serviceEth(to);
          // a deposit address: forwards, later, to a tagged service (Victor 2020's deposit pattern)
          const forward = direct ? undefined : outgoing.get(to)?.find((f) => f.blockNumber >= t.blockNumber && f.asset === t.asset && serviceEth(f.to.toLowerCase()));
          const tag = direct ?? (forward ? serviceEth(forward.to.toLowerCase()) : undefined);
          const kind = tag ? kindOf(tag) : undefined;
          if (tag && kind) {
            const path: FlowStep[] = [{ txid: t.txHash, from, to, amount: t.value }];
            if (forward) path.push({ txid: forward.txHash, from: to, to: forward.to.toLowerCase(), amount: forward.value });
            add(kind, { chain: 'eth', txid: t.txHash, asset: t.asset, amount: t.value, counterparty: tag.label, counterpartyCategory: tag.category }, path);
          }
        }
      }
    }

    for (const [kind, items] of flows) {
      items.sort((a, b) => (a.flow.txid < b.flow.txid ? -1 : a.flow.txid > b.flow.txid ? 1 : 0));
      const amounts: Record<string, bigint> = {};
      for (const { flow } of items) amounts[flow.asset] = (amounts[flow.asset] ?? 0n) + flow.amount;
      const flowEvidence: Evidence[] = items.map(({ flow }) => ({
        heuristic: kind === 'wildlife-payment-in' ? 'payment-in' : 'taint-haircut',
        proof: `tx:${flow.txid}`,
        confidence: kind === 'wildlife-payment-in' ? 1 : 0.8,
        note: `${flow.chain} ${flow.amount} ${flow.asset}${flow.counterparty ? ` ${kind === 'wildlife-payment-in' ? 'from' : 'to'} ${flow.counterparty}` : ''}`,
      }));
      flags.push({
        id: `${kind}:${person.id}`,
        kind,
        severity: flagSeverity(kind, matches, items.length),
        person: person.id,
        listingIds: listings.map((l) => l.id).sort(),
        vendorIds,
        amounts,
        paths: items.map((i) => i.path),
        pages: dedupePages(pages),
        evidence: [...evidence, ...flowEvidence],
        flows: items.map((i) => i.flow),
        matches,
      });
    }
  }
  return flags.sort((a, b) => b.severity - a.severity || (a.id < b.id ? -1 : 1));
}

function dedupePages(pages: readonly PageRef[]): PageRef[] {
  const seen = new Map<string, PageRef>();
  for (const p of pages) if (!seen.has(p.sha256)) seen.set(p.sha256, p);
  return [...seen.values()];
}
