/**
 * Checks of a page as a phone, a screen reader and a site audit see it, for the e2e tests: axe-core's violations
 * (WCAG 2.2 A/AA and best practices, in light and dark themes), whether the page is wider than its window at phone
 * widths, and the layout shift it has had (CLS, Layout Instability API).
 */
import { AxePuppeteer } from '@axe-core/puppeteer';
import type { Page } from 'puppeteer';

/** Phone widths the pages must fit, CSS px (small Android, common Android, iPhone). */
export const PHONE_WIDTHS = [320, 360, 390] as const;
/** The window sizes the pages are audited at. */
export const SIZES = { phone: { width: 360, height: 740 }, desktop: { width: 1280, height: 800 } } as const;

/**
 * Resize `page` to a plain window `width` × `height` CSS px. Not a mobile emulation (`isMobile: false`): a mobile
 * viewport widens `innerWidth` to fit wide content, which would hide the very overflow these checks look for.
 */
export async function resize(page: Page, width: number, height: number): Promise<void> {
  await page.setViewport({ width, height, isMobile: false, deviceScaleFactor: 1 });
}

/** `document.documentElement.scrollWidth` and the window's CSS width, after a resize to `width`. */
export async function widthAt(page: Page, width: number, height = 740): Promise<{ scrollWidth: number; innerWidth: number }> {
  await resize(page, width, height);
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

/** axe-core's violations on `page` as it is now, one line each: `rule (impact): selectors`. */
export async function axeViolations(page: Page, theme: 'light' | 'dark'): Promise<string[]> {
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
  const results = await new AxePuppeteer(page).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Start recording layout shifts (call before the page loads); read the total with {@link layoutShift}. */
export async function recordLayoutShifts(page: Page): Promise<void> {
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { onairLayoutShift: number };
    w.onairLayoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
        if (!entry.hadRecentInput) w.onairLayoutShift += entry.value;
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

/** The sum of the layout shifts since the page loaded (not counting those right after input), unitless. */
export async function layoutShift(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { onairLayoutShift: number }).onairLayoutShift);
}

/**
 * The controls on `page` smaller than `min` × `min` CSS px, as `#id WxH` (visible buttons, fields, selects, and the
 * labels that carry a checkbox: the label is its target). Inline links in text are exempt (WCAG 2.5.8).
 */
export async function smallTargets(page: Page, min = 44): Promise<string[]> {
  return page.evaluate((size) => {
    const targets = [...document.querySelectorAll('button, input:not([type="checkbox"]), select, textarea, label:has(> input[type="checkbox"])')];
    return targets.flatMap((el) => {
      const box = el.getBoundingClientRect();
      const shown = box.width > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[hidden]');
      const name = el.id ? `#${el.id}` : `${el.tagName.toLowerCase()} "${el.textContent?.trim()}"`;
      return shown && (box.width < size || box.height < size) ? [`${name} ${Math.round(box.width)}×${Math.round(box.height)}`] : [];
    });
  }, min);
}
