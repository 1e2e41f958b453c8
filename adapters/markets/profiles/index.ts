/** The shipped market profiles, one per bundled fixture market. */
import type { MarketProfile } from '../profile.js';
import { auroraProfile } from './aurora.js';
import { mangroveProfile } from './mangrove.js';
import { pangolinProfile } from './pangolin.js';

export { auroraProfile, mangroveProfile, pangolinProfile };

/** Shipped profiles by market id. */
export const MARKET_PROFILES: Readonly<Record<string, MarketProfile>> = {
  aurora: auroraProfile,
  mangrove: mangroveProfile,
  pangolin: pangolinProfile,
};
