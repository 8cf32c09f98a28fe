/** The content-hashed files a page names (see scripts/build-client.ts), read from the page's HTML as served. */

/** The script and stylesheet URL paths of the page at `url`, e.g. `/assets/watch-3HQ2LQ7K.js`. */
export async function pageAssets(url: string): Promise<{ script: string; stylesheet: string }> {
  const html = await (await fetch(url)).text();
  const script = /<script type="module" src="([^"]+)">/.exec(html)?.[1];
  const stylesheet = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1];
  if (!script || !stylesheet) throw new Error(`${url} names no script or no stylesheet`);
  return { script, stylesheet };
}
