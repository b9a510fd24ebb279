/**
 * Postback signatures and query parsing (SPEC §9), as pure functions: the signing text is the
 * parameters but `sig`, sorted by name, undecoded; the worked example is the one that
 * docs/affiliate/postbacks.md reproduces with openssl.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findSignature, parsePostbackQuery } from '../../src/modules/postbacks/postback-query.ts';
import {
  computePostbackSignature,
  postbackSigningText,
  splitRawQuery,
  verifyPostbackSignature,
} from '../../src/modules/postbacks/postback-signature.ts';
import { newSigningSecret, previousSecretGraceMs, rotatedSecret, secretsInForce } from '../../src/platform/signing-secrets.ts';

const exampleSecret = 'pbsec_7Kq2Vw9nX4pLm3Rt8Yb1Zc6Hd0Jf5Gs2Ae4Uo9Ni7Wx';
const exampleQuery = 'txid=ORD%2F1001&click_id=clk-77&event=purchase&amount=49.90&ts=1796119200';
// printf '%s' 'amount=49.90&click_id=clk-77&event=purchase&ts=1796119200&txid=ORD%2F1001' | openssl dgst -sha256 -hmac "$secret"
const exampleSignature = '709c4a57f32f73dffb8ebcd6788044f9ca9c098355ac6bea0991427c6740ed25';
const now = new Date('2026-12-05T12:00:00Z');

describe('postback signature', () => {
  it('signs the parameters sorted by name, values as received: the documented example', () => {
    const parameters = splitRawQuery(`/v1/postbacks/pbk_x?${exampleQuery}&sig=${exampleSignature}`);
    const text = postbackSigningText(parameters);
    expect(text).toBe('amount=49.90&click_id=clk-77&event=purchase&ts=1796119200&txid=ORD%2F1001');
    expect(computePostbackSignature(exampleSecret, text)).toBe(exampleSignature);
    expect(verifyPostbackSignature([exampleSecret], text, exampleSignature)).toBe(true);
    // Upper-case hex is the same signature.
    expect(verifyPostbackSignature([exampleSecret], text, exampleSignature.toUpperCase())).toBe(true);
  });

  it('verifies a re-ordered query, and refuses a changed value, another encoding of it, or another secret', () => {
    const reordered = splitRawQuery(`/p?sig=${exampleSignature}&ts=1796119200&amount=49.90&event=purchase&click_id=clk-77&txid=ORD%2F1001`);
    expect(verifyPostbackSignature([exampleSecret], postbackSigningText(reordered), exampleSignature)).toBe(true);
    const changed = splitRawQuery(`/p?${exampleQuery.replace('49.90', '499.0')}`);
    expect(verifyPostbackSignature([exampleSecret], postbackSigningText(changed), exampleSignature)).toBe(false);
    // The same txid decoded ("ORD/1001") is other text than what was signed ("ORD%2F1001").
    const decoded = splitRawQuery(`/p?${exampleQuery.replace('%2F', '/')}`);
    expect(verifyPostbackSignature([exampleSecret], postbackSigningText(decoded), exampleSignature)).toBe(false);
    expect(verifyPostbackSignature([newSigningSecret('pbsec')], postbackSigningText(reordered), exampleSignature)).toBe(false);
  });

  it('accepts a signature made with any of the secrets in force, and nothing that is not 64 hex digits', () => {
    const text = 'click_id=c1&event=lead&txid=t1';
    const other = newSigningSecret('pbsec');
    expect(verifyPostbackSignature([other, exampleSecret], text, computePostbackSignature(exampleSecret, text))).toBe(true);
    expect(verifyPostbackSignature([other, exampleSecret], text, computePostbackSignature(other, text))).toBe(true);
    for (const bad of ['', 'abc', `${exampleSignature}00`, exampleSignature.replace(/.$/, 'g')]) {
      expect(verifyPostbackSignature([exampleSecret], text, bad), bad).toBe(false);
    }
  });

  it('matches an HMAC computed independently, with `+` and a percent-encoded name kept as received', () => {
    const parameters = splitRawQuery('/p?event=sign+up&txid=a%20b&click_id=c&sig=x#fragment');
    const text = postbackSigningText(parameters);
    expect(text).toBe('click_id=c&event=sign+up&txid=a%20b');
    expect(computePostbackSignature('k', text)).toBe(createHmac('sha256', 'k').update(text).digest('hex'));
  });
});

describe('postback query', () => {
  const parse = (query: string) => parsePostbackQuery(splitRawQuery(`/p?${query}`), now);

  it('decodes the values (a form: + is a space) and reads amount and ts', () => {
    expect(parse(`${exampleQuery}&sig=${exampleSignature}`)).toEqual({
      ok: true,
      content: { txid: 'ORD/1001', clickId: 'clk-77', event: 'purchase', amount: '49.90', timestampSeconds: 1796119200 },
    });
    expect(parse('txid=a+b&click_id=c&event=sign%20up&amount=&ts=')).toEqual({
      ok: true,
      content: { txid: 'a b', clickId: 'c', event: 'sign up', amount: null, timestampSeconds: null },
    });
  });

  it('names every malformed parameter', () => {
    const paths = (query: string) => {
      const result = parse(query);
      return result.ok ? [] : result.errors.map((error) => error.path);
    };
    expect(paths('')).toEqual(['txid', 'click_id', 'event']);
    expect(paths('txid=t&click_id=c&event=e&amount=12,50')).toEqual(['amount']);
    expect(paths('txid=t&click_id=c&event=e&amount=-1')).toEqual(['amount']);
    expect(paths('txid=t&click_id=c&event=e&amount=1.1234567')).toEqual(['amount']);
    expect(paths('txid=t&click_id=c&event=e&ts=yesterday')).toEqual(['ts']);
    expect(paths('txid=t&click_id=c&event=e&ts=-5')).toEqual(['ts']);
    // More than five minutes ahead of the clock: 2026-12-05T12:10:00Z.
    expect(paths(`txid=t&click_id=c&event=e&ts=${Date.parse('2026-12-05T12:10:00Z') / 1000}`)).toEqual(['ts']);
    expect(paths(`txid=t&click_id=c&event=e&ts=${Date.parse('2026-12-05T12:04:00Z') / 1000}`)).toEqual([]);
    expect(paths('txid=t&txid=u&click_id=c&event=e')).toEqual(['txid']);
    expect(paths('txid=t&click_id=c&event=e&clickid=c')).toEqual(['clickid']);
    expect(paths('txid=%E0%A4%A&click_id=c&event=e')).toEqual(['txid']);
    expect(paths('txid=a%00b&click_id=c&event=e')).toEqual(['txid']);
    expect(paths(`txid=${'t'.repeat(129)}&click_id=c&event=${'e'.repeat(65)}`)).toEqual(['txid', 'event']);
    expect(paths(Array.from({ length: 17 }, (_, index) => `p${index}=1`).join('&'))).toEqual(['(query)']);
  });

  it('finds exactly one signature of the right shape', () => {
    expect(findSignature(splitRawQuery(`/p?a=1&sig=${exampleSignature}`))).toEqual({ signature: exampleSignature });
    expect(findSignature(splitRawQuery('/p?a=1'))).toMatchObject({ error: { path: 'sig' } });
    expect(findSignature(splitRawQuery('/p?sig=abc'))).toMatchObject({ error: { path: 'sig' } });
    expect(findSignature(splitRawQuery(`/p?sig=${exampleSignature}&sig=${exampleSignature}`))).toMatchObject({ error: { path: 'sig' } });
  });
});

describe('signing secrets with rotation', () => {
  it('keeps the previous secret in force for 24 hours after a rotation, and no longer', () => {
    const rotatedAt = new Date('2026-12-05T12:00:00Z');
    // The rotation's columns are the row as the owning table stores it.
    const row = rotatedSecret('pbsec_old', 'pbsec', rotatedAt);
    expect(row.secret).toMatch(/^pbsec_[A-Za-z0-9_-]{43}$/);
    expect(row.previous_secret).toBe('pbsec_old');
    expect(row.previous_secret_expires_at).toBe('2026-12-06T12:00:00.000Z');
    expect(secretsInForce(row, new Date(rotatedAt.getTime() + previousSecretGraceMs - 1))).toEqual([row.secret, 'pbsec_old']);
    expect(secretsInForce(row, new Date(rotatedAt.getTime() + previousSecretGraceMs))).toEqual([row.secret]);
    expect(secretsInForce({ secret: 's', previous_secret: null, previous_secret_expires_at: null }, rotatedAt)).toEqual(['s']);
  });
});
