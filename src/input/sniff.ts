// Which delimiter a delimited text uses: the candidate that splits the header into the most
// columns and splits the following lines the same way.

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** Counts of `delimiter` outside double quotes in each of the first lines of `text`. */
function countsPerLine(text: string, delimiter: string, maxLines: number): number[] {
  const counts: number[] = [];
  let count = 0;
  let quoted = false;
  for (let i = 0; i < text.length && counts.length < maxLines; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === delimiter) count++;
    else if (!quoted && (c === '\n' || (c === '\r' && text[i + 1] !== '\n'))) {
      // A line ends at LF, CRLF (counted at its LF) or a lone CR.
      counts.push(count);
      count = 0;
    }
  }
  if (counts.length < maxLines && count > 0) counts.push(count);
  return counts;
}

export function sniffDelimiter(sample: string, fallback: Delimiter = ','): Delimiter {
  let best: Delimiter = fallback;
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const counts = countsPerLine(sample, d, 50);
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const rest = counts.slice(1);
    const agreeing = rest.length === 0 ? 1 : rest.filter((c) => c === header).length / rest.length;
    const score = header * (0.25 + agreeing);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
