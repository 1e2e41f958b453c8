// Price, number and contact parsing as markets print them.
import { describe, expect, it } from 'vitest';
import { extractContacts, parseCount, parseDecimal, parsePrice, parseRating } from '../../adapters/markets/index.js';

describe('prices and numbers', () => {
  it.each([
    ['USD 1,250.00', '.', { amount: '1250.00', currency: 'USD' }],
    ['$1,250', '.', { amount: '1250', currency: 'USD' }],
    ['0.0132 BTC', '.', { amount: '0.0132', currency: 'BTC' }],
    ['₿0.5', '.', { amount: '0.5', currency: 'BTC' }],
    ['12.5 monero', '.', { amount: '12.5', currency: 'XMR' }],
    ['1.250,00 €', ',', { amount: '1250.00', currency: 'EUR' }],
    ['US$ 29,98', ',', { amount: '29.98', currency: 'USD' }],
    ['0,0132 BTC', ',', { amount: '0.0132', currency: 'BTC' }],
    ['€ 1 250,00', ',', { amount: '1250.00', currency: 'EUR' }],
    ['1.250,00 €', 'auto', { amount: '1250.00', currency: 'EUR' }],
    ['0,0132 BTC', 'auto', { amount: '0.0132', currency: 'BTC' }],
    ['1,250 USD', 'auto', { amount: '1250', currency: 'USD' }],
    ['price on request', '.', undefined],
  ] as const)('%s (decimal %s)', (text, decimal, expected) => {
    expect(parsePrice(text, decimal)).toEqual(expected);
  });

  it('keeps prices as decimal strings, never floats: digits survive exactly', () => {
    expect(parseDecimal('0.30000000000000004')).toBe('0.30000000000000004');
    expect(parseDecimal('123456789012345678901234567890.5')).toBe('123456789012345678901234567890.5');
  });

  it('reads counts and ratings', () => {
    expect(parseCount('1,204 sales')).toBe(1204);
    expect(parseCount('(1.204 orders)')).toBe(1204);
    expect(parseCount('no sales yet')).toBeUndefined();
    expect(parseRating('4,87 ★', ',')).toBe(4.87);
    expect(parseRating('4.87/5')).toBe(4.87);
  });
});

describe('contacts', () => {
  it('finds Telegram, Wickr, Session, e-mail and Jabber handles, each once, in text order', () => {
    const session = '05' + 'a1'.repeat(32);
    const text = `Contact me on Telegram: @green_leaf_shop or t.me/greenleafnews. Wickr Me - greenleaf.0
      Session ID: ${session.toUpperCase()}  Jabber: leaf@xmpp.is  mail: Leaf@ProtonMail.com  (again: @green_leaf_shop on TG: green_leaf_shop)
      OTR xmpp:other@jabber.ccc.de`;
    expect(extractContacts(text).map(({ kind, value }) => ({ kind, value }))).toEqual([
      { kind: 'telegram', value: '@green_leaf_shop' },
      { kind: 'telegram', value: '@greenleafnews' },
      { kind: 'wickr', value: 'greenleaf.0' },
      { kind: 'session', value: session },
      { kind: 'jabber', value: 'leaf@xmpp.is' },
      { kind: 'email', value: 'leaf@protonmail.com' },
      { kind: 'jabber', value: 'other@jabber.ccc.de' },
    ]);
  });

  it('does not take a Session-like hex run that is longer than an id, or an address, for a contact', () => {
    expect(extractContacts('05' + 'ab'.repeat(40))).toEqual([]);
    expect(extractContacts('pay bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6')).toEqual([]);
  });
});
