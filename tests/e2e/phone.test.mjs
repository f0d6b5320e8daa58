// The phone and the laptop, as a learner holds them: on a 360 × 740 touch screen the sticky bar
// (name, mood, trust, "Get help now") and the next choices are on screen after every tap,
// through whole scenarios, with nothing scrolled by hand; the debrief opens with its three lines
// in view; on a laptop the debrief uses the width. Screenshots of both runs go to
// test-results/screenshots/ for people to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useEnv, openPage, ui, enginePlay, start, visible, eventually, settled, screenshot, findChoice, expectNoHorizontalScroll } from './helpers.mjs';

const env = useEnv();
const PHONE = { viewport: { width: 360, height: 740 }, device: { hasTouch: true, isMobile: true } };

/// Where the bar, the first choice and the peer's newest line are, against the viewport.
async function where(page) {
    return page.evaluate(() => {
        const rect = el => el && (({ top, bottom, left, right }) => ({ top, bottom, left, right }))(el.getBoundingClientRect());
        const root = document.querySelector('attunement-sim');
        const peers = root.querySelectorAll('.att-msg[data-speaker="peer"]');
        return {
            height: innerHeight,
            bar: rect(root.querySelector('.att-header')),
            meter: rect(root.querySelector('[role="meter"]')),
            help: rect([...root.querySelectorAll('.att-header button')].find(b => b.textContent === 'Get help now')),
            choice: rect(root.querySelector('.att-choices button')),
            peer: rect(peers[peers.length - 1]),
            debrief: rect(root.querySelector('.att-debrief')),
            lines: rect(root.querySelector('.att-summary-lines')),
        };
    });
}

// Waits until the page stops scrolling (smooth scrolling is off under reduced motion, but the
// frame after a choice still settles its layout).
async function still(page) {
    let last = null;
    await eventually(async () => {
        const y = await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(scrollY)))));
        const same = y === last;
        last = y;
        assert.ok(same, 'the page is still scrolling');
    });
}

const inView = (r, top, bottom) => r && r.top >= top - 1 && r.bottom <= bottom + 1;

for (const [id, auto] of [['first-meeting', 'best'], ['asking-directly', 'best'], ['nobody-listens', 'worst']]) {
    test(`phone 360 × 740, ${id} (${auto} path) by touch: the bar and the next choices stay on screen after every tap`, async () => {
        const path = enginePlay({ auto, seed: 1, scenario: `scenarios/${id}.toml` });
        const p = await openPage(env, `/index.html?scenario=${id}&mode=practice&seed=1`, { ...PHONE, reducedMotion: 'reduce' });
        const { page } = p;
        const w = ui(page);
        await start(page);
        await still(page);
        let at = await where(page);
        assert.ok(at.choice.top >= at.bar.bottom - 1 && at.choice.top <= at.height - 44, `after Continue the first choice is on screen: ${JSON.stringify(at)}`);
        let fully = 0;
        for (const [i, turn] of path.turns.entries()) {
            const { button } = await findChoice(page, turn.text);
            await settled(page);
            await button.tap();
            await eventually(async () => assert.equal(await w.learnerMessages.count(), i + 1, `turn ${i + 1} landed`));
            await still(page);
            at = await where(page);
            const when = `after turn ${i + 1} of ${path.turns.length} (${turn.choice})`;
            assert.ok(at.bar.top >= -1 && at.bar.bottom <= at.height, `${when}: the bar is on screen: ${JSON.stringify(at.bar)}`);
            assert.ok(inView(at.meter, 0, at.height), `${when}: the trust meter is on screen`);
            assert.ok(inView(at.help, 0, at.height), `${when}: "Get help now" is on screen`);
            if (i + 1 < path.turns.length) {
                // The peer's newest line from its start, and the first of the next choices: all of
                // it, or (after a long reply) at least its first line, a tap away.
                assert.ok(at.peer.top >= at.bar.bottom - 1 && at.peer.top < at.height, `${when}: the peer's newest line starts on screen, below the bar: ${JSON.stringify({ bar: at.bar, peer: at.peer })}`);
                assert.ok(at.choice.top >= at.bar.bottom - 1 && at.choice.top <= at.height - 44, `${when}: the first of the next choices is on screen below the bar: ${JSON.stringify({ bar: at.bar, choice: at.choice, height: at.height })}`);
                fully += inView(at.choice, at.bar.bottom, at.height) ? 1 : 0;
            }
            if (i < 2) await screenshot(page, `phone-${id}-turn-${i + 1}`, { fullPage: false });
        }
        assert.ok(fully >= 0.75 * (path.turns.length - 1), `the first choice was on screen in full after most turns (${fully} of ${path.turns.length - 1})`);
        await visible(w.debrief, 'the Debrief region');
        at = await where(page);
        assert.ok(at.lines.top >= at.bar.bottom - 1 && at.lines.top < at.height, `at the end the debrief's three lines start on screen: ${JSON.stringify(at)}`);
        await expectNoHorizontalScroll(page, 'the debrief on a phone');
        await screenshot(page, `phone-${id}-debrief`, { fullPage: false });
        await p.close();
    });
}

test('laptop 1280 × 800: the debrief uses the width, the three lines beside the ending\'s text', async () => {
    const path = enginePlay({ auto: 'worst', seed: 1 });
    const p = await openPage(env, '/index.html?scenario=first-meeting&mode=practice&seed=1', { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const { page } = p;
    const w = ui(page);
    await start(page);
    await screenshot(page, 'laptop-first-meeting-start', { fullPage: false });
    for (const turn of path.turns) {
        const { button } = await findChoice(page, turn.text);
        await settled(page);
        await button.click();
    }
    await visible(w.debrief, 'the Debrief region');
    const layout = await page.evaluate(() => {
        const root = document.querySelector('attunement-sim');
        const r = sel => root.querySelector(sel).getBoundingClientRect();
        return { widget: r('.att-body').width, debrief: r('.att-debrief').width, lines: r('.att-summary-lines'), text: r('.att-ending-text') };
    });
    assert.ok(layout.debrief > 0.9 * layout.widget, `the debrief spans the widget (${layout.debrief} of ${layout.widget} px)`);
    assert.ok(layout.text.left >= layout.lines.right - 1 && Math.abs(layout.text.top - layout.lines.top) < 40, `the ending's text sits beside the three lines: ${JSON.stringify(layout)}`);
    // No stray "false", "null" or "undefined" from a view's optional parts, anywhere in it.
    await page.evaluate(() => { for (const d of document.querySelectorAll('attunement-sim details')) d.open = true; });
    const stray = await page.evaluate(() => {
        const walker = document.createTreeWalker(document.querySelector('attunement-sim'), NodeFilter.SHOW_TEXT);
        const found = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) if (/^\s*(false|null|undefined|NaN)\s*$/.test(n.data)) found.push(`${n.parentElement.className}: ${n.data}`);
        return found;
    });
    assert.deepEqual(stray, [], 'no text node reads false, null, undefined or NaN');
    await page.evaluate(() => { for (const d of document.querySelectorAll('attunement-sim details')) d.open = false; window.scrollTo(0, 0); });
    await screenshot(page, 'laptop-first-meeting-debrief');
    await p.close();
});
