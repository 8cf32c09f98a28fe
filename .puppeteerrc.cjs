/**
 * Puppeteer configuration. OnAir drives the system's Chromium (Debian's `chromium`, installed by
 * scripts/install-system-deps.sh), so puppeteer must not try to download a browser of its own at install time.
 */
module.exports = { skipDownload: true };
