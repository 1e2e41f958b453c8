/** Every fuzz target of the harness, in run order (see harness.ts for what each case must satisfy). */
import { addresses } from './addresses.js';
import { btcRpc } from './bitcoin-rpc.js';
import { blkFiles } from './blk-files.js';
import { btcBlock, btcTx } from './bitcoin.js';
import { esploraHttp, esploraTx } from './esplora.js';
import { ethRpc } from './ethereum-rpc.js';
import { ethBlock } from './ethereum.js';
import type { FuzzTarget } from './harness.js';
import { markets } from './markets.js';
import { onion } from './onion.js';
import { pgp } from './pgp.js';
import { ofac, tagCsv, tagpack } from './tags.js';

/** The targets, one or more per parser. */
export const TARGETS: readonly FuzzTarget[] = [btcTx, btcBlock, blkFiles, esploraTx, esploraHttp, btcRpc, ethBlock, ethRpc, addresses, markets, pgp, tagpack, tagCsv, ofac, onion] as FuzzTarget[];
