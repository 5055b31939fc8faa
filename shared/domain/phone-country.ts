// The destination country of an E.164 number for pricing (docs/cost.md), without libphonenumber's
// metadata (the run's summarizing Lambda stays lean): by calling code, and for +1 (the North
// American Numbering Plan) by area code, Canada's listed, the rest US. Countries not listed here are
// priced at `prices.sms.default`. Pure.

/** ISO 3166-1 alpha-2 by calling code (a code several countries share is left out). */
const BY_CALLING_CODE: Record<string, string> = {
  '20': 'EG',
  '27': 'ZA',
  '30': 'GR',
  '31': 'NL',
  '32': 'BE',
  '33': 'FR',
  '34': 'ES',
  '36': 'HU',
  '39': 'IT',
  '40': 'RO',
  '41': 'CH',
  '43': 'AT',
  '44': 'GB',
  '45': 'DK',
  '46': 'SE',
  '47': 'NO',
  '48': 'PL',
  '49': 'DE',
  '51': 'PE',
  '52': 'MX',
  '54': 'AR',
  '55': 'BR',
  '56': 'CL',
  '57': 'CO',
  '60': 'MY',
  '61': 'AU',
  '62': 'ID',
  '63': 'PH',
  '64': 'NZ',
  '65': 'SG',
  '66': 'TH',
  '81': 'JP',
  '82': 'KR',
  '84': 'VN',
  '86': 'CN',
  '90': 'TR',
  '91': 'IN',
  '92': 'PK',
  '351': 'PT',
  '353': 'IE',
  '354': 'IS',
  '358': 'FI',
  '420': 'CZ',
  '421': 'SK',
  '852': 'HK',
  '886': 'TW',
  '971': 'AE',
  '972': 'IL',
  '966': 'SA',
};

/** Canada's NANP area codes. */
const CANADA = new Set(
  '204 226 236 249 250 257 263 273 289 306 343 354 365 367 368 382 387 403 416 418 428 431 437 438 450 460 468 474 506 514 519 548 579 581 584 587 604 613 639 647 672 683 705 709 742 753 778 780 782 807 819 825 867 873 879 902 905 942'.split(
    ' ',
  ),
);

/** The country a phone number (E.164) is priced as, if this table knows it. */
export function pricingCountry(phone: string): string | undefined {
  const digits = /^\+(\d{4,15})$/.exec(phone.trim())?.[1];
  if (!digits) return undefined;
  if (digits.startsWith('1')) return CANADA.has(digits.slice(1, 4)) ? 'CA' : 'US';
  for (const len of [3, 2]) {
    const country = BY_CALLING_CODE[digits.slice(0, len)];
    if (country) return country;
  }
  return undefined;
}
