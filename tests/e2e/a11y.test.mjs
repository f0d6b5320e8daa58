// Accessibility: axe-core finds nothing at the intro, at the start of play,
// after a choice (with practice feedback) and at the debrief, in the light
// and the dark color scheme; prefers-reduced-motion, prefers-color-scheme
// and a visible focus are honoured.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    useEnv, openPage, ui, enginePlay, start, playTurns, visible, expectNoAxeViolations, tabTo,
} from './helpers.mjs';

const env = useEnv();

const worst = enginePlay({ auto: 'worst', seed: 1 });

const looks = [];
for (const width of [320, 1280]) {
    for (const colorScheme of ['light', 'dark']) looks.push({ width, colorScheme, forcedColors: 'none' });
    looks.push({ width, colorScheme: 'light', forcedColors: 'active' });
}
for (const { width, colorScheme: scheme, forcedColors } of looks) {
    const colorScheme = forcedColors === 'active' ? `${scheme}, forced colours` : scheme;
    test(`axe-core: no violations at the start, after a choice and at the debrief (${width} px, ${colorScheme})`, async () => {
        const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice', {
            colorScheme: scheme, viewport: { width, height: 800 }, device: { forcedColors },
        });
        const { page } = p;
        const w = ui(page);
        await visible(w.title, 'the intro');
        await expectNoAxeViolations(page, `on the intro (${colorScheme})`);
        await start(page);
        await expectNoAxeViolations(page, `at the start of play (${colorScheme})`);
        await playTurns(page, worst.turns.slice(0, 1));
        await visible(w.feedback, 'the Feedback section');
        await expectNoAxeViolations(page, `after a choice, with feedback (${colorScheme})`);
        if (forcedColors === 'active') {
            // The meter's bar keeps a colour of its own (the system's Highlight): it does not vanish
            // into the track, and the badges and bubbles get borders.
            const look = await page.evaluate(() => {
                const fill = getComputedStyle(document.querySelector('attunement-sim .att-meter-fill'));
                const track = getComputedStyle(document.querySelector('attunement-sim .att-meter'));
                const badge = getComputedStyle(document.querySelector('attunement-sim .att-badge'));
                const bubble = getComputedStyle(document.querySelector('attunement-sim .att-msg[data-speaker="learner"]'));
                return { forced: matchMedia('(forced-colors: active)').matches, fill: fill.backgroundColor, adjust: fill.forcedColorAdjust, track: track.backgroundColor, badge: badge.borderTopStyle, bubble: bubble.borderTopStyle };
            });
            assert.equal(look.forced, true, 'forced colours are on');
            assert.equal(look.adjust, 'none', 'the meter\'s bar keeps its colour');
            assert.notEqual(look.fill, look.track, `the bar (${look.fill}) differs from the track (${look.track})`);
            assert.notEqual(look.fill, 'rgba(0, 0, 0, 0)', 'the bar is not transparent');
            assert.equal(look.badge, 'solid', 'badges are outlined');
            assert.equal(look.bubble, 'solid', 'the learner\'s bubbles are outlined');
        }
        await playTurns(page, worst.turns.slice(1));
        await visible(w.debrief, 'the Debrief region');
        // Every fold-out open, so axe sees all of it.
        await page.evaluate(() => { for (const d of document.querySelectorAll('attunement-sim details')) d.open = true; });
        await expectNoAxeViolations(page, `at the debrief (${colorScheme})`);
        await p.close();
    });
}

/// Every transition and animation duration (in seconds) in the widget,
/// including pseudo-elements and open shadow roots.
async function motionDurations(page) {
    return page.evaluate(() => {
        const seconds = value => value.split(',').map(v => (v.trim().endsWith('ms') ? parseFloat(v) / 1000 : parseFloat(v)));
        const found = [];
        const visit = root => {
            for (const el of root.querySelectorAll('*')) {
                for (const pseudo of [null, '::before', '::after']) {
                    const style = getComputedStyle(el, pseudo);
                    const transition = Math.max(...seconds(style.transitionDuration));
                    const animation = style.animationName !== 'none' ? Math.max(...seconds(style.animationDuration)) : 0;
                    const longest = Math.max(transition, animation);
                    if (longest > 0) found.push({ element: `${el.localName}.${el.className?.baseVal ?? el.className}${pseudo ?? ''}`, seconds: longest });
                }
                if (el.shadowRoot) visit(el.shadowRoot);
            }
        };
        visit(document.querySelector('attunement-sim'));
        return found;
    });
}

test('prefers-reduced-motion: reduce turns transitions and animations off', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice', { reducedMotion: 'reduce' });
    const { page } = p;
    const w = ui(page);
    await start(page);
    const button = w.choiceButtons.first();
    const duration = await button.evaluate(el => getComputedStyle(el).transitionDuration);
    assert.ok(
        duration.split(',').every(d => parseFloat(d) <= 0.01),
        `a choice button's transition-duration under reduced motion is ${duration}`,
    );
    await playTurns(page, worst.turns.slice(0, 1));
    const moving = (await motionDurations(page)).filter(m => m.seconds > 0.01);
    assert.deepEqual(moving, [], 'nothing in the widget moves under prefers-reduced-motion: reduce');
    await p.close();
});

test('prefers-color-scheme: dark gets a dark theme', async () => {
    const colours = async colorScheme => {
        const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice', { colorScheme });
        const { page } = p;
        await start(page);
        const result = await page.evaluate(() => {
            const luminance = colour => {
                const [r, g, b] = colour.match(/[\d.]+/g).map(Number).map(v => v / 255)
                    .map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            // The background actually behind the widget: the first opaque one up the tree.
            let el = document.querySelector('attunement-sim');
            let background = 'rgba(0, 0, 0, 0)';
            while (el) {
                const bg = getComputedStyle(el).backgroundColor;
                if (!/rgba\(.*, 0\)$/.test(bg) && bg !== 'transparent') {
                    background = bg;
                    break;
                }
                el = el.parentElement;
            }
            if (background === 'rgba(0, 0, 0, 0)') background = 'rgb(255, 255, 255)';
            const text = getComputedStyle(document.querySelector('attunement-sim')).color;
            return { background, text, backgroundLuminance: luminance(background), textLuminance: luminance(text) };
        });
        await p.close();
        return result;
    };
    const light = await colours('light');
    const dark = await colours('dark');
    assert.ok(light.backgroundLuminance > light.textLuminance, `light scheme: dark text on a light background (${JSON.stringify(light)})`);
    assert.ok(dark.backgroundLuminance < dark.textLuminance, `dark scheme: light text on a dark background (${JSON.stringify(dark)})`);
});

test('focus is visible on a choice reached with Tab', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice');
    const { page } = p;
    const w = ui(page);
    await start(page);
    const button = w.choiceButtons.first();
    await tabTo(page, button, 'the first choice');
    const ring = await button.evaluate(el => {
        const s = getComputedStyle(el);
        return { outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, boxShadow: s.boxShadow, focusVisible: el.matches(':focus-visible') };
    });
    assert.ok(ring.focusVisible, 'the focused choice matches :focus-visible');
    assert.ok(
        (ring.outlineStyle !== 'none' && parseFloat(ring.outlineWidth) > 0) || ring.boxShadow !== 'none',
        `a focused choice shows a focus ring (${JSON.stringify(ring)})`,
    );
    await p.close();
});
