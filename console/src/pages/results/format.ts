// The Results page's numbers in the chosen language: rates as percentages, differences as signed
// percentage points ("+24.1 pp"), the p-value with three decimals, money in the report's currency.
import { useMemo } from 'react';
import { useFormat, useLanguage, useT } from '../../i18n';
import { messages } from './messages';
import type { Uplift } from './schemas';

export function useResultFormat() {
  const { language } = useLanguage();
  const format = useFormat();
  const t = useT(messages);
  return useMemo(() => {
    const signed = new Intl.NumberFormat(language, {
      signDisplay: 'exceptZero',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    const three = new Intl.NumberFormat(language, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
    const pp = (x: number) => t('pp', { n: signed.format(x * 100) });
    return {
      ...format,
      pp,
      pValue: (p: number) => (p < 0.001 ? t('pSmall') : t('pValue', { p: three.format(p) })),
      /** "+24.1 pp (95 % CI +6.4 pp to +39.9 pp)" */
      uplift: (u: Uplift) => t('upliftText', { value: pp(u.value), low: pp(u.low), high: pp(u.high) }),
      rateOf: (g: { conversions: number; customers: number; rate: number }) =>
        t('rateOf', {
          conversions: format.number(g.conversions),
          customers: format.number(g.customers),
          rate: format.percent(g.rate),
        }),
    };
  }, [language, format, t]);
}
