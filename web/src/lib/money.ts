/** Parses a typed amount ("20", "12.50", "12,5", "1 000") into minor units; null when not a positive amount. */
export function parseAmountToCents(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '')
  const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(compact)
  if (!match) return null
  const cents = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
  return cents > 0 ? cents : null
}
