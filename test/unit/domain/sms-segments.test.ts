import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments } from '../../../shared/domain/sms-segments.js';

describe('smsSegments', () => {
  it('GSM-7: 160 septets in one part, 153 per part beyond', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });
  it('counts extension characters as two septets and never splits them', () => {
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('€'.repeat(81)).segments).toBe(2);
    // 152 plain + one escape pair would straddle the 153 boundary: it moves to part two.
    expect(smsSegments(`${'a'.repeat(152)}{${'a'.repeat(152)}`)).toEqual({
      encoding: 'GSM-7',
      units: 306,
      segments: 3,
    });
  });
  it('UCS-2: 70 code units in one part, 67 per part beyond', () => {
    expect(smsSegments('好'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('好'.repeat(71)).segments).toBe(2);
    expect(smsSegments('好'.repeat(134)).segments).toBe(2);
    expect(smsSegments('好'.repeat(135)).segments).toBe(3);
  });
  it('one non-GSM character switches the whole text to UCS-2; surrogate pairs count two and stay whole', () => {
    expect(isGsm7('Touchpoint: héllo ü Ä € {x}')).toBe(true);
    expect(isGsm7('Touchpoint: ç')).toBe(false); // only upper-case Ç is in the alphabet
    expect(smsSegments(`${'a'.repeat(69)}😀`)).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments(`${'a'.repeat(66)}😀${'a'.repeat(66)}`)).toEqual({
      encoding: 'UCS-2',
      units: 134,
      segments: 3,
    });
  });
  it('an empty text costs nothing', () => {
    expect(smsSegments('').segments).toBe(0);
  });
});
