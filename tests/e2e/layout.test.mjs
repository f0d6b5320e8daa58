// Layout at 320 px (no sideways scroll) and screenshots at 320 px and
// 1280 px, written to test-results/screenshots/ for people to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    useEnv, openPage, ui, enginePlay, start, playTurns, visible, expectNoHorizontalScroll, screenshot,
} from './helpers.mjs';

const env = useEnv();

const worst = enginePlay({ auto: 'worst', seed: 1 });

for (const width of [320, 1280]) {
    test(`${width} px: intro, start, feedback and debrief${width === 320 ? ', with no sideways scroll' : ''}`, async () => {
        const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice', {
            viewport: { width, height: width === 320 ? 640 : 900 },
        });
        const { page } = p;
        const w = ui(page);
        const stage = async name => {
            if (width === 320) await expectNoHorizontalScroll(page, `${width} px, ${name}`);
            await screenshot(page, `${width}-${name}`);
        };
        await visible(w.title, 'the intro');
        await stage('intro');
        await start(page);
        await stage('start');
        await playTurns(page, worst.turns.slice(0, 2));
        await visible(w.feedback, 'the Feedback section');
        await stage('feedback');
        await playTurns(page, worst.turns.slice(2));
        await visible(w.debrief, 'the Debrief region');
        await stage('debrief');
        if (width === 320) {
            // The meter and every choice fit: nothing is cut off to the right.
            const overflowing = await page.evaluate(() => {
                const limit = document.documentElement.clientWidth;
                return [...document.querySelectorAll('attunement-sim *')]
                    .filter(el => el.getBoundingClientRect().right > limit + 0.5)
                    .map(el => `${el.localName}.${el.className?.baseVal ?? el.className}`);
            });
            assert.deepEqual(overflowing, [], 'elements reaching past the right edge at 320 px');
        }
        await p.close();
    });
}

test('320 px: the library page has no sideways scroll', async () => {
    const p = await openPage(env, '/index.html', { viewport: { width: 320, height: 640 } });
    const { page } = p;
    await visible(page.getByText('First meeting', { exact: true }), 'the library entry "First meeting"');
    await expectNoHorizontalScroll(page, '320 px, library');
    await screenshot(page, '320-library');
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, '1280-library');
    await p.close();
});
