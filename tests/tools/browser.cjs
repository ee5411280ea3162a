// Drives Debian's Chromium (puppeteer-core, no browser download) over HTML pages of
// `goalpost report --format html`, and prints one JSON object with what it found:
//   node browser.cjs CHROMIUM OUTDIR PAGE.html...
// For each page, at 390, 768 and 1440 px wide and in print emulation: a screenshot in
// OUTDIR, the elements that overflow their card or are clipped, and axe-core's violations;
// then a deuteranopia and a protanopia simulation (a screenshot each) and, per status pill,
// the shape (the ::before glyph) and the label it shows.
// `node browser.cjs CHROMIUM - --shot FILE WIDTH SELECTOR PAGE.html` instead takes one
// screenshot of the element SELECTOR (the README's, by benches/screenshot.sh).
'use strict';
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');
const axe = require('axe-core');

const [browserPath, outDir, ...rest] = process.argv.slice(2);

// Elements that must keep their content inside their box: cards, tables, sections.
function overflowCheck() {
  const bad = [];
  const name = (e) => {
    let s = e.tagName.toLowerCase();
    if (e.id) s += '#' + e.id;
    if (e.className && typeof e.className === 'string') s += '.' + e.className.trim().split(/\s+/).join('.');
    const t = (e.textContent || '').trim().slice(0, 40);
    return s + ' "' + t + '"';
  };
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    bad.push('page scrolls sideways: ' + doc.scrollWidth + ' > ' + doc.clientWidth);
  }
  const cards = document.querySelectorAll('.o, .summary > div, section, main, nav, header, table');
  for (const card of cards) {
    const box = card.getBoundingClientRect();
    if (box.width === 0) continue;
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (el.closest('svg.defs')) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1) {
        bad.push(name(el) + ' overflows ' + name(card) + ': ' + Math.round(r.left) + '..' + Math.round(r.right) + ' outside ' + Math.round(box.left) + '..' + Math.round(box.right));
        break;
      }
    }
  }
  for (const el of document.querySelectorAll('body *')) {
    const cs = getComputedStyle(el);
    const clips = ['hidden', 'clip'].includes(cs.overflowX) || /paint|strict|content/.test(cs.contain) || cs.contentVisibility === 'auto';
    if (clips && el.scrollWidth > el.clientWidth + 1) {
      bad.push(name(el) + ' clips its content: ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
  }
  return bad.slice(0, 20);
}

// Each status pill's shape and label.
function pills() {
  const out = {};
  for (const cls of ['on_track', 'at_risk', 'off_track', 'achieved', 'missed', 'done', 'no_data', 'not_started', 'healthy', 'warning', 'critical']) {
    const el = document.querySelector('ul.b li.' + cls + ', .s.' + cls + ', td.' + cls);
    if (!el) continue;
    out[cls] = {
      glyph: getComputedStyle(el, '::before').content,
      text: el.textContent.trim(),
      colour: getComputedStyle(el).color,
    };
  }
  return out;
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: browserPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  // The pages forbid scripts (their Content-Security-Policy): let axe's in.
  await page.setBypassCSP(true);
  const result = { pages: {} };
  try {
    if (rest[0] === '--shot') {
      const [, file, width, selector, pageFile] = rest;
      await page.setViewport({ width: Number(width), height: 900, deviceScaleFactor: 1 });
      await page.goto('file://' + path.resolve(pageFile), { waitUntil: 'load' });
      const el = await page.$(selector);
      if (!el) throw new Error('no element ' + selector);
      await el.scrollIntoView();
      await el.screenshot({ path: file, type: 'png' });
      result.shot = file;
    } else {
      for (const file of rest) {
        const base = path.basename(file, '.html');
        const r = { shots: [], overflow: {}, axe: {}, pills: null };
        await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
        for (const width of [390, 768, 1440]) {
          await page.setViewport({ width, height: 900, deviceScaleFactor: 1 });
          const shot = path.join(outDir, `${base}-${width}.png`);
          await page.screenshot({ path: shot, fullPage: true });
          r.shots.push(shot);
          r.overflow[width] = await page.evaluate(overflowCheck);
          await page.addScriptTag({ content: axe.source });
          const a = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
          r.axe[width] = a.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
          // Dark mode: the same checks with the colours a dark system asks for.
          if (width === 1440) {
            await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
            const dark = path.join(outDir, `${base}-dark.png`);
            await page.screenshot({ path: dark });
            r.shots.push(dark);
            const d = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
            r.axe.dark = d.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
            r.background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
            await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
          }
        }
        // Print: A4 at 96 dpi less the default margins.
        await page.setViewport({ width: 718, height: 1000, deviceScaleFactor: 1 });
        await page.emulateMediaType('print');
        r.overflow.print = await page.evaluate(overflowCheck);
        const pdf = await page.pdf({ format: 'A4' });
        r.printPages = (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
        fs.writeFileSync(path.join(outDir, `${base}.pdf`), pdf);
        await page.emulateMediaType(null);
        await page.setViewport({ width: 1440, height: 900, deviceScaleFactor: 1 });
        for (const deficiency of ['deuteranopia', 'protanopia']) {
          await page.emulateVisionDeficiency(deficiency);
          const shot = path.join(outDir, `${base}-${deficiency}.png`);
          await page.screenshot({ path: shot });
          r.shots.push(shot);
        }
        await page.emulateVisionDeficiency('none');
        r.pills = await page.evaluate(pills);
        // The filter box, under the page's own Content-Security-Policy (a second tab).
        const strict = await browser.newPage();
        const errors = [];
        strict.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        await strict.goto('file://' + path.resolve(file), { waitUntil: 'load' });
        if (await strict.$('#filter')) {
          const visible = () => strict.evaluate(() => [...document.querySelectorAll('nav li')].filter((li) => li.offsetParent !== null).length);
          const f = { shown: await strict.evaluate(() => !document.getElementById('filter').closest('[hidden]')), before: await visible() };
          await strict.type('#filter', 'growth');
          f.after = await visible();
          r.filter = f;
        }
        r.consoleErrors = errors;
        await strict.close();
        result.pages[base] = r;
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
