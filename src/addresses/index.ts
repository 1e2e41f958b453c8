/** The addresses room (see ../../../shared/DESIGN.md): finding and validating addresses in text. Re-exports only. */
export * from './extract.js';
export * from './validate.js';
export { pgpArmourSpans, type TextSpan } from './armour.js';
export {
  decodeUtxoAddress,
  decodeBase58UtxoAddress,
  decodeSegwitAddress,
  utxoOutputScript,
  type AddressNetwork,
  type UtxoAddressType,
  type DecodedUtxoAddress,
} from './bitcoin.js';
export { decodeEthereumAddress, toChecksumAddress, type DecodedEthereumAddress } from './ethereum.js';
export { decodeMoneroAddress, type MoneroAddressType, type DecodedMoneroAddress } from './monero.js';
export { decodeTronAddress, type DecodedTronAddress } from './tron.js';
