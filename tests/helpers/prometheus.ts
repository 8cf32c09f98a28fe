/**
 * Reading `/metrics` the way Prometheus does: fetched over real HTTP and parsed by a Prometheus text-format parser
 * (`parse-prometheus-text-format`), never by string matching.
 */
import parsePrometheusTextFormat, { type PrometheusFamily, type PrometheusSample } from 'parse-prometheus-text-format';

/** The parsed metric families of one scrape, by name. */
export type Scrape = Map<string, PrometheusFamily>;

/** GET `${httpUrl}/metrics` and parse it; throws on a non-200 answer or a wrong content type. */
export async function scrape(httpUrl: string): Promise<Scrape> {
  const response = await fetch(`${httpUrl}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain') || !type.includes('version=0.0.4')) throw new Error(`/metrics content type ${type}`);
  return new Map(parsePrometheusTextFormat(await response.text()).map((family) => [family.name, family]));
}

/** The samples of family `name` whose labels include `labels`. */
export function samples(scraped: Scrape, name: string, labels: Record<string, string> = {}): PrometheusSample[] {
  const family = scraped.get(name);
  if (!family) throw new Error(`no metric ${name}`);
  return family.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

/** The value of the one sample of `name` with `labels` (a counter or gauge), or undefined when there is none. */
export function value(scraped: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples(scraped, name, labels);
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)}: ${found.length} samples`);
  return found[0]?.value === undefined ? undefined : Number(found[0].value);
}
