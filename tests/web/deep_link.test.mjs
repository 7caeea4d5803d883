// The widget's reading of a deep link (web/src/widget/deep_link.js), in Node: a slot handle
// decodes only when it is exactly the contract's shape (base64url without padding of the
// UTF-8 JSON array [clinic, type, practitioner or "any", start in UTC]), and the referral
// parameters are cleaned (control characters dropped, trimmed, 200 characters at most).

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { decodeSlotHandle, readDeepLink, referralText } = await import(
  path.join(repoRoot, 'web', 'src', 'widget', 'deep_link.js')
);

const encode = (text) => Buffer.from(text, 'utf8').toString('base64url');
const handle = (fields) => encode(JSON.stringify(fields));

test('the contract example decodes', () => {
  const example = 'WyJkZW1vIiwiY29uc3VsdGF0aW9uIiwiZHItYSIsIjIwMjctMDEtMTJUMTU6MDA6MDBaIl0';
  assert.deepEqual(decodeSlotHandle(example), {
    clinicId: 'demo',
    typeId: 'consultation',
    practitionerId: 'dr-a',
    start: '2027-01-12T15:00:00Z',
  });
  assert.equal(handle(['demo', 'consultation', 'dr-a', '2027-01-12T15:00:00Z']), example, 'the same encoding');
});

test('any practitioner, UTF-8 ids, every base64url length', () => {
  assert.equal(decodeSlotHandle(handle(['demo', 'consultation', 'any', '2027-01-12T15:00:00Z'])).practitionerId, 'any');
  const accented = decodeSlotHandle(handle(['clínica-ñ', 'revisión', 'dr-müller', '2027-03-01T09:30:00Z']));
  assert.deepEqual(accented, {
    clinicId: 'clínica-ñ',
    typeId: 'revisión',
    practitionerId: 'dr-müller',
    start: '2027-03-01T09:30:00Z',
  });
  // ids of three lengths give handles of length 0, 2 and 3 modulo 4
  for (const id of ['a', 'ab', 'abc']) {
    const h = handle([id, 't', 'any', '2027-01-12T15:00:00Z']);
    assert.equal(decodeSlotHandle(h).clinicId, id, `length ${h.length}`);
  }
});

test('anything else is ignored', () => {
  const start = '2027-01-12T15:00:00Z';
  const good = handle(['demo', 'consultation', 'dr-a', start]);
  const wrong = {
    absent: null,
    empty: '',
    'not a string': 42,
    padded: `${good}=`,
    'standard base64': Buffer.from(JSON.stringify(['demo', 'consultation', 'dr-a?>', start])).toString('base64'),
    'a space': `${good.slice(0, 10)} ${good.slice(10)}`,
    'cut short': good.slice(0, -1),
    'one char too many': `${good}A`,
    'not UTF-8': Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]).toString('base64url'),
    'not JSON': encode('demo,consultation,dr-a,2027-01-12T15:00:00Z'),
    'an object': encode(JSON.stringify({ clinic: 'demo' })),
    'a string': encode(JSON.stringify('abcd')),
    'three fields': handle(['demo', 'consultation', start]),
    'five fields': handle(['demo', 'consultation', 'dr-a', start, 'x']),
    'an empty id': handle(['demo', '', 'dr-a', start]),
    'a number': handle(['demo', 'consultation', 7, start]),
    'null practitioner': handle(['demo', 'consultation', null, start]),
    'an offset': handle(['demo', 'consultation', 'dr-a', '2027-01-12T10:00:00-05:00']),
    'a fraction': handle(['demo', 'consultation', 'dr-a', '2027-01-12T15:00:00.000Z']),
    'lower-case z': handle(['demo', 'consultation', 'dr-a', '2027-01-12T15:00:00z']),
    'a date only': handle(['demo', 'consultation', 'dr-a', '2027-01-12']),
    'no such day': handle(['demo', 'consultation', 'dr-a', '2027-02-30T15:00:00Z']),
    'hour 24': handle(['demo', 'consultation', 'dr-a', '2027-01-12T24:00:00Z']),
    'too long': handle(['demo', 'x'.repeat(1000), 'dr-a', start]),
  };
  for (const [what, value] of Object.entries(wrong)) assert.equal(decodeSlotHandle(value), null, what);
});

test('referral parameters: control characters dropped, trimmed, 200 characters at most', () => {
  assert.equal(referralText('  findadoc \n'), 'findadoc');
  assert.equal(referralText('find\u0000a\u0007doc\u007f\u0085'), 'findadoc');
  assert.equal(referralText('x'.repeat(300)), 'x'.repeat(200));
  assert.equal(referralText('😀'.repeat(250)), '😀'.repeat(200), 'characters, not UTF-16 units');
  assert.equal(referralText(`${'y'.repeat(199)} z`), 'y'.repeat(199), 'trimmed after the cut too');
  assert.equal(referralText(null), '');
  assert.equal(referralText(' \t '), '');
});

test('the page URL: slot, source and booking-referral, each optional', () => {
  const slot = handle(['demo', 'consultation', 'dr-a', '2027-01-12T15:00:00Z']);
  const all = readDeepLink(
    `?slot=${slot}&source=findadoc&booking-referral=34d1a803-cd6c-4420-9cf5-c5edcc533538&utm_campaign=x`,
  );
  assert.equal(all.slot.start, '2027-01-12T15:00:00Z');
  assert.deepEqual(all.referral, { source: 'findadoc', booking_referral: '34d1a803-cd6c-4420-9cf5-c5edcc533538' });
  assert.deepEqual(readDeepLink('?source=%20Find+a%20Doc%0A'), { slot: null, referral: { source: 'Find a Doc' } });
  assert.deepEqual(readDeepLink('?booking-referral=r-1&source=%01'), {
    slot: null,
    referral: { booking_referral: 'r-1' },
  });
  assert.deepEqual(readDeepLink(`?slot=${slot}`).referral, null);
  assert.deepEqual(readDeepLink(''), { slot: null, referral: null });
  assert.equal(readDeepLink('?slot=%%%').slot, null);
});
