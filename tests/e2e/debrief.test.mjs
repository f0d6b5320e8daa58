// The feedback card's newer lines and the debrief of issue 9: a neutral response shows as
// "Neutral"; a consequence of an earlier turn, the warning beat and the ceiling each get a
// line; the debrief shows the engine's score and pass (and the complete event reports them),
// next time, what to practise next (with links that move focus to the turns they name), the
// turn-by-turn comparison, the MITI counts with "not rated" where the engine rates nothing;
// axe-core finds nothing on these parts in either colour scheme, and they fit 320 px.
//
// Scenario files are being rewritten, so no path here is a list of choice ids. Paths are
// found by kind, in the learner's own engine loaded into Node (www/pkg), which tries each
// offered choice and takes it back; every expected number comes from that engine's turns
// and debrief, or from the widget's own save restored in it. The feedback card's rarer
// lines (a consequence, the warning beat) need a scenario that has them, so this file
// writes a small one of its own and compiles it with the CLI.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    WWW, startEnv, openPage, ui, cli, enginePlay, start, choose, expectTrust, visible, eventually,
    expectNoAxeViolations, expectNoHorizontalScroll, hasFocus, describeFocus, tabTo,
} from './helpers.mjs';

// ---------------------------------------------------------------- the engine, in Node

const engine = await import(pathToFileURL(path.join(WWW, 'pkg', 'attunement.js')).href);
engine.initSync({ module: readFileSync(path.join(WWW, 'pkg', 'attunement_bg.wasm')) });

const library = JSON.parse(readFileSync(path.join(WWW, 'scenarios', 'index.json'), 'utf8')).scenarios.map(s => s.id);

/// Plays a scenario (its compiled bytes) in the learner's engine, in practice mode. At each
/// step `pick(offered, turns)` chooses among the offered choices, each given with the turn
/// it would make (`turn`: chosen, then taken back), or returns null to stop there.
/// Returns the turns taken and, at an ending, the debrief.
function plan(text, pick) {
    const sim = new engine.Simulator(text, 'scenario.attn');
    const play = sim.start('practice', 1);
    const turns = [];
    try {
        while (!play.view().ending && turns.length < 200) {
            const offered = play.view().choices.map(c => {
                const turn = play.choose(c.id).explanation;
                play.undo();
                return { ...c, turn };
            });
            const choice = pick(offered, turns);
            if (!choice) break;
            turns.push(play.choose(choice.id).explanation);
        }
        return { turns, debrief: play.view().ending ? play.debrief() : null };
    } finally {
        play.free();
        sim.free();
    }
}

/// The engine's debrief of a save (the widget's, from its page).
function debriefOf(text, save, mode = 'practice') {
    const sim = new engine.Simulator(text, 'scenario.attn');
    const play = sim.restore(save, mode);
    try {
        return play.debrief();
    } finally {
        play.free();
        sim.free();
    }
}

const scenarioText = id => readFileSync(path.join(WWW, 'scenarios', `${id}.attn`));
const change = o => o.turn.trust_after - o.turn.trust_before;
/// The trust-building choice that gains most, else whatever loses least.
const greedy = offered => [...offered].sort((a, b) => (b.turn.kind === 'skill') - (a.turn.kind === 'skill') || change(b) - change(a))[0];
const signed = n => (n > 0 ? `+${n}` : `${n}`);
const squash = text => (text ?? '').replace(/\s+/g, ' ').trim();

/// The first scenario of the library where the greedy path meets a neutral response, up to it.
function neutralPath() {
    for (const id of library) {
        const p = plan(scenarioText(id), (offered, turns) => (turns.some(t => t.kind === 'neutral') ? null : offered.find(o => o.turn.kind === 'neutral') ?? greedy(offered)));
        if (p.turns.at(-1)?.kind === 'neutral') return { id, ...p };
    }
    assert.fail('no scenario of the library offers a neutral response on its greedy path');
}

/// A path to an ending whose debrief has things to practise: greedy, with one roadblock at
/// some turn; the first with two or more suggestions, else the first with one. Found once.
let practised;
const practisePath = () => (practised ??= findPractisePath());
function findPractisePath() {
    let found = null;
    for (const id of library) {
        const text = scenarioText(id);
        const length = plan(text, greedy).turns.length;
        for (let at = 0; at < length; at++) {
            const p = plan(text, (offered, turns) => (turns.length === at && offered.find(o => o.turn.kind === 'roadblock')) || greedy(offered));
            const n = p.debrief?.practise_next.length ?? 0;
            if (n && (!found || n > found.debrief.practise_next.length)) found = { id, ...p };
            if (n >= 2) return found;
        }
    }
    assert.ok(found, 'no path of one roadblock among trust-building responses gives anything to practise next, in any scenario');
    return found;
}

// ---------------------------------------------------------------- a scenario of this file's own

// Small, and made for the feedback card: a false promise whose consequence lands later, a
// judgement that takes trust below the floor (the warning beat, then a repair), a closed
// question, and a validation strong enough that later gains meet the ceiling.
const TURNS_TOML = `
id = "turns"
title = "Turns"
summary = "A test conversation for the feedback card."
objectives = ["Test the feedback card."]
minutes = 2
start = "hello"
leaving = "going"

[peer]
name = "Ari"
pronouns = "they/them"
trust = 30

[thresholds]
floor = 20

[[node]]
id = "hello"
say = "I don't really know why I'm here."

[[node.choice]]
id = "promise"
text = "I promise I won't tell anyone anything you say."
skill = "false_promise"
feedback = "False promise: a promise you may not be able to keep."
next = "ask"
later = { at = "more", trust = -6, feedback = "The promise at the start: Ari now wonders what else was said to please them." }

[[node.choice]]
id = "closed"
text = "Did someone suggest you come?"
skill = "closed_question"
feedback = "Closed question: fine once, but it asks for a yes or a no."
next = "ask"

[[node.choice]]
id = "reflect"
text = "It sounds like you're not sure this will help."
skill = "reflection"
feedback = "Reflection of feeling: naming the doubt shows you heard it."
next = "ask"

[[node]]
id = "ask"
say = "My sister thinks I need to talk to someone."

[[node.choice]]
id = "judge"
text = "Well, maybe your sister is right about you."
skill = "judgement"
feedback = "Judgement: it takes a side against Ari."
next = "high"

[[node.choice]]
id = "validate"
text = "That makes sense, with everything going on."
skill = "validation"
trust = 40
feedback = "Validation: it tells Ari the feeling makes sense."
next = "high"

[[node]]
id = "going"
say = "I think I should go."
cue = "reaches for their coat"

[[node.choice]]
id = "sorry"
text = "I'm sorry. I spoke too fast just now. Please stay."
skill = "repair"
trust = 20
feedback = "Repair: owning the misstep makes it safe to stay."
next = "@back"

[[node.choice]]
id = "order"
text = "Sit down, we're not finished."
skill = "ordering"
feedback = "Ordering: power over, not power with."
next = "left"

[[node]]
id = "high"
say = "I suppose it has been a hard few months."

[[node.choice]]
id = "meaning"
text = "Hard enough that you're wondering whether you can keep going like this."
skill = "complex_reflection"
feedback = "Complex reflection: it names what sits under the words."
next = "more"

[[node.choice]]
id = "fix"
text = "Have you tried getting more sleep?"
skill = "advice"
feedback = "Advice: it takes over before Ari asked."
next = "more"

[[node]]
id = "more"
say = "Yes. That's it, really."

[[node.choice]]
id = "stay"
text = "[Stay with them, and let the quiet sit.]"
skill = "presence"
feedback = "Presence: room to feel it."
next = "good"

[[node.choice]]
id = "nicer"
text = "Let's talk about something nicer."
skill = "changing_subject"
feedback = "Changing the subject: it avoids the feeling."
next = "meh"

[[ending]]
id = "good"
outcome = "connected"
title = "Ari stays to talk"
text = "Ari felt heard."
next_time = "Try a reflection before any question."

[[ending]]
id = "meh"
outcome = "unresolved"
title = "Ari drifts off"
text = "The feeling went unheard."

[[ending]]
id = "left"
outcome = "disengaged"
title = "Ari leaves"
text = "Ari left early."
`;

let env, tmp, turnsText;
before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'attunement-debrief-'));
    writeFileSync(path.join(tmp, 'turns.toml'), TURNS_TOML);
    cli('compile', path.join(tmp, 'turns.toml'), '-o', path.join(tmp, 'turns.attn'));
    turnsText = readFileSync(path.join(tmp, 'turns.attn'));
    env = await startEnv({ mounts: { '/own': tmp } });
});
after(async () => {
    await env?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers of this file

const embed = (id, mode = 'practice') => `/embed.html?scenario=${id}&mode=${mode}`;

/// Plays `turns` (the engine's) in the widget, checking the meter after each.
async function playAll(page, turns) {
    for (const t of turns) {
        await choose(page, t.text, 'click');
        await expectTrust(page, t.trust_after, `after turn ${t.number} (${t.skill})`);
    }
}

/// Records every attunement-complete event's detail in window.__complete.
const recordComplete = page => page.evaluate(() => {
    window.__complete = [];
    document.addEventListener('attunement-complete', e => window.__complete.push(e.detail));
});

const feedbackText = async page => squash(await ui(page).feedback.textContent());

/// The widget's own save, as the engine's debrief.
async function widgetDebrief(page, id, text, mode = 'practice') {
    const save = await page.evaluate(key => localStorage.getItem(key), `attunement:${id}:${mode}`);
    assert.ok(save, `the widget saved the conversation under attunement:${id}:${mode}`);
    return debriefOf(text, save, mode);
}

/// Plays `p` (from plan) to its ending in a fresh page and returns the page and the engine's
/// debrief of the widget's save.
async function playToDebrief(p, options = {}) {
    const opened = await openPage(env, embed(p.id), options);
    const { page } = opened;
    await start(page);
    await playAll(page, p.turns);
    await visible(ui(page).debrief, 'the Debrief region');
    return { opened, page, debrief: await widgetDebrief(page, p.id, scenarioText(p.id)) };
}

// ---------------------------------------------------------------- the feedback card

test('practice: a neutral response shows "Neutral" in the feedback, with its own badge, and axe finds nothing', async () => {
    const p = neutralPath();
    const neutral = p.turns.at(-1);
    for (const colorScheme of ['light', 'dark']) {
        const opened = await openPage(env, embed(p.id), { colorScheme });
        const { page } = opened;
        const w = ui(page);
        await start(page);
        await playAll(page, p.turns);
        await visible(w.feedback, 'the Feedback section');
        await eventually(async () => {
            const text = await feedbackText(page);
            assert.ok(text.includes(`trust ${neutral.trust_before} → ${neutral.trust_after}`), `the feedback shows the neutral turn; it reads ${JSON.stringify(text)}`);
        });
        const badge = w.feedback.locator('.att-badge');
        assert.equal(squash(await badge.textContent()), 'Neutral', `a ${neutral.skill} (kind neutral) is badged "Neutral"`);
        assert.equal(await badge.getAttribute('data-kind'), 'neutral');
        const text = await feedbackText(page);
        assert.ok(!/Roadblock|Builds trust/.test(text), `a neutral response is neither a roadblock nor builds trust; the feedback reads ${JSON.stringify(text)}`);
        assert.ok(text.toLowerCase().includes(neutral.skill_label.toLowerCase()), `the feedback names the skill "${neutral.skill_label}"`);
        const colours = await badge.evaluate(el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
        const roadblock = await page.evaluate(() => {
            const probe = document.createElement('span');
            probe.className = 'att-badge';
            probe.dataset.kind = 'roadblock';
            document.querySelector('.att-feedback').append(probe);
            const c = [getComputedStyle(probe).color, getComputedStyle(probe).backgroundColor];
            probe.remove();
            return c;
        });
        assert.notDeepEqual(colours, roadblock, 'the neutral badge has a style of its own, not the roadblock\'s');
        await expectNoAxeViolations(page, `at the feedback on a neutral response (${colorScheme})`);
        await opened.close();
    }
});

test('practice: a consequence of an earlier turn, the warning beat and the ceiling each get a line of their own; next time closes the ending', async () => {
    const own = { id: 'turns', text: turnsText };
    const byIds = ids => plan(own.text, (offered, turns) => offered.find(o => o.id === ids[turns.length]) ?? null);
    // The ids are this file's own scenario's; the numbers are the engine's.
    const falls = byIds(['promise', 'judge', 'sorry', 'meaning', 'stay']);
    const warned = falls.turns.find(t => t.warning);
    const landed = falls.turns.find(t => t.consequences.length);
    assert.ok(warned && landed, 'the scenario of this file has a warning beat and a consequence (precondition)');
    const high = byIds(['reflect', 'validate', 'meaning', 'stay']);
    const ceiling = high.turns.find(t => t.ceiling < 0);
    assert.ok(ceiling, 'a gain on the second path meets the ceiling (precondition)');

    const opened = await openPage(env, '/fixtures/host.html?src=/own/turns.attn&mode=practice');
    const { page } = opened;
    const w = ui(page);
    await start(page);
    for (const t of falls.turns) {
        await choose(page, t.text, 'click');
        await expectTrust(page, t.trust_after, `after turn ${t.number}`);
        const text = await eventually(async () => {
            const text = await feedbackText(page);
            assert.ok(text.includes(`trust ${t.trust_before} → ${t.trust_after}`), `the feedback shows turn ${t.number}`);
            return text;
        });
        const warning = w.feedback.locator('.att-warn');
        if (t.warning) {
            assert.equal(await warning.count(), 1, `turn ${t.number} took trust below the floor: one warning line`);
            assert.match(squash(await warning.textContent()), /^Warning: trust fell below the floor\. Ari is about to leave, and one more fall ends the conversation\.$/);
            await eventually(async () => assert.match(squash(await page.locator('attunement-sim .att-play > [role="status"]').textContent()), /Ari is about to leave/, 'the warning is announced'));
        } else {
            assert.equal(await warning.count(), 0, `turn ${t.number}: no warning line`);
        }
        for (const c of t.consequences) {
            const line = `${signed(c.amount)} From turn ${c.from_turn}: ${c.feedback}`;
            const items = await w.feedback.locator('.att-reasons li').evaluateAll(lis => lis.map(li => li.textContent.replace(/\s+/g, ' ').trim()));
            assert.ok(items.includes(line), `turn ${t.number}: a line ${JSON.stringify(line)}; the reasons read ${JSON.stringify(items)}`);
        }
        // Trust stayed well inside 0 to 100: no note about the bounds, whatever the consequences did.
        assert.ok(!text.includes('rather than'), `turn ${t.number}: no note about the 0 to 100 bounds; the feedback reads ${JSON.stringify(text)}`);
    }
    assert.ok(landed.consequences.every(c => c.from_turn === falls.turns.find(t => t.choice === 'promise').number), 'the consequence names the turn of the promise');
    await visible(w.debrief, 'the Debrief region');
    const d = await widgetDebrief(page, own.id, own.text);
    assert.ok(d.next_time, 'the ending of this file\'s scenario has a next time (precondition)');
    assert.ok(squash(await w.debrief.textContent()).includes(`Next time: ${squash(d.next_time)}`), 'the debrief shows next time after the ending\'s text');
    await expectNoAxeViolations(page, 'at the debrief of a path with a warning and a consequence');
    await opened.close();

    const again = await openPage(env, '/fixtures/host.html?src=/own/turns.attn&mode=practice');
    await start(again.page);
    for (const t of high.turns) {
        await choose(again.page, t.text, 'click');
        await expectTrust(again.page, t.trust_after, `after turn ${t.number}`);
        if (t !== ceiling) continue;
        const items = await ui(again.page).feedback.locator('.att-reasons li').evaluateAll(lis => lis.map(li => li.textContent.replace(/\s+/g, ' ').trim()));
        assert.ok(items.includes(`${signed(t.ceiling)} Trust is already high, so each gain is smaller.`), `turn ${t.number}: the ceiling's line; the reasons read ${JSON.stringify(items)}`);
        assert.ok(!(await feedbackText(again.page)).includes('rather than'), 'the ceiling is explained by its line, not as the 0 to 100 bound');
    }
    await again.close();
});

// ---------------------------------------------------------------- the debrief

for (const auto of ['best', 'worst']) {
    test(`debrief (${auto} path): the engine's score and pass, next time, MITI counts and ratings, and the complete event`, async () => {
        const path_ = enginePlay({ auto, seed: 1 });
        const opened = await openPage(env, embed('first-meeting'));
        const { page } = opened;
        const w = ui(page);
        await start(page);
        await recordComplete(page);
        await playAll(page, path_.turns);
        await visible(w.debrief, 'the Debrief region');
        const d = await widgetDebrief(page, 'first-meeting', scenarioText('first-meeting'));
        assert.deepEqual(d.score, path_.debrief.score, 'the widget\'s session and the CLI\'s have the same score');
        const s = d.score;
        const text = squash(await w.debrief.textContent());
        assert.ok(text.includes(`Score ${s.raw} of ${s.max}, ${s.passed ? 'passed' : 'not passed'}.`), `the debrief shows "Score ${s.raw} of ${s.max}, …"; it reads ${JSON.stringify(text.slice(0, 600))}`);
        assert.ok(text.includes(`A pass needs a score of ${s.pass} or more`), 'the debrief says what a pass needs');
        if (d.next_time) assert.ok(text.includes(`Next time: ${squash(d.next_time)}`), 'the debrief shows next time');
        if (d.best_path?.on_best_path) assert.ok(text.includes('you were on a best path'), 'the learner on a best path is told so');
        else if (d.best_path?.left_best_path_at) assert.ok(text.includes(`You left the best path at turn ${d.best_path.left_best_path_at}.`));

        // MITI: every code used, with its count; "not rated" wherever the engine rates nothing.
        const counts = await w.debrief.locator('.att-counts li').evaluateAll(lis => lis.map(li => li.textContent.replace(/\s+/g, ' ').trim()));
        assert.deepEqual(counts, d.miti.counts.filter(c => c.count > 0).map(c => `${c.label}: ${c.count}`), 'the MITI counts');
        assert.ok(text.includes(`MI-adherent (Affirm, Seeking Collaboration, Emphasizing Autonomy): ${d.miti.adherent}.`));
        assert.ok(text.includes(`MI-non-adherent (Persuade, Confront): ${d.miti.non_adherent}.`));
        const guides = await w.debrief.locator('.att-miti-item .att-miti-guide').allTextContents();
        assert.deepEqual(guides.map(squash), ['MITI guide: 1 is fair, 2 is good.', 'MITI guide: 40% is fair, 50% is good. Summaries count as complex reflections.'], 'the MITI guides, their figures through Intl');
        const levels = await w.debrief.locator('.att-miti-item .att-level').evaluateAll(els => els.map(el => [el.dataset.level, el.textContent.trim()]));
        assert.deepEqual(levels.map(l => l[0]), [d.miti.reflection_to_question_level, d.miti.complex_share_level], 'the MITI levels are the engine\'s');
        for (const [level, shown] of levels) {
            if (level === 'not_applicable') assert.equal(shown, 'Not rated: too few', 'a figure the engine does not rate says so');
        }

        // The host hears the engine's score and pass, not trust.
        const details = await page.evaluate(() => window.__complete);
        assert.equal(details.length, 1, 'one attunement-complete event');
        assert.deepEqual(details[0].score, { raw: s.raw, min: s.min, max: s.max, scaled: s.scaled }, 'the complete event carries the engine\'s score');
        assert.equal(details[0].passed, s.passed, 'the complete event carries the engine\'s pass');
        assert.equal(details[0].trust, d.trust.value, 'and final trust beside it');
        await opened.close();
    });
}

test('what to practise next: each suggestion\'s text and links to the turns it names, which move focus there', async () => {
    const p = practisePath();
    const { opened, page, debrief: d } = await playToDebrief(p);
    const w = ui(page);
    assert.deepEqual(d.practise_next, p.debrief.practise_next, 'the widget\'s session is the planned one');
    assert.ok(d.practise_next.length > 1, 'the planned path has more than one suggestion (precondition)');
    // The first suggestion is the summary's third line; every one is in the fold-out.
    const first = w.debrief.locator('.att-summary-lines > li').nth(2);
    await visible(first, 'the summary\'s third line');
    assert.ok(squash(await first.textContent()).startsWith(`Practise next: ${squash(d.practise_next[0].text)}`), 'the summary\'s third line is the first thing to practise next');
    const fold = w.debrief.locator('details.att-fold', { hasText: 'What to practise next' });
    assert.equal(await fold.evaluate(el => el.open), false, 'the other suggestions are folded away');
    await fold.locator('summary').click();
    const items = w.debrief.locator('.att-practise > li');
    assert.equal(await items.count(), d.practise_next.length, 'one item per suggestion');
    const compare = w.debrief.locator('details.att-compare');
    for (const [i, suggestion] of d.practise_next.entries()) {
        const item = items.nth(i);
        assert.ok(squash(await item.textContent()).includes(squash(suggestion.text)), `suggestion ${i + 1} shows the engine's text`);
        const links = item.getByRole('link');
        assert.deepEqual(
            await links.evaluateAll(as => as.map(a => a.textContent.trim())),
            suggestion.turns.map(n => `turn ${n}`),
            `suggestion ${i + 1} links each turn it names`,
        );
        for (const [j, n] of suggestion.turns.entries()) {
            // Close the comparison first: the link must open it.
            await compare.evaluate(el => { el.open = false; });
            await tabTo(page, links.nth(j), `the link to turn ${n}`);
            await page.keyboard.press('Enter');
            const target = w.debrief.locator('.att-compare-list > li').nth(d.comparison.findIndex(c => c.turn === n));
            await eventually(async () => {
                assert.ok(await compare.evaluate(el => el.open), 'the link opens the turn-by-turn comparison');
                assert.ok(await hasFocus(target), `after Enter on the link to turn ${n}, focus should be on turn ${n}; it is on ${await describeFocus(page)}`);
            });
            const shown = squash(await target.textContent());
            assert.ok(shown.startsWith(`Turn ${n}`), `the focused element is turn ${n}: ${JSON.stringify(shown.slice(0, 80))}`);
            assert.ok(shown.includes(squash(d.turns[n - 1].text)), `turn ${n} shows what the learner said then`);
            assert.ok(await target.isVisible(), `turn ${n} is visible`);
        }
    }
    await opened.close();
});

test('the turn-by-turn comparison: what you said beside the other trust-building options, with the change each would have made', async () => {
    const p = practisePath();
    const { opened, page, debrief: d } = await playToDebrief(p);
    const w = ui(page);
    const compare = w.debrief.locator('details.att-compare');
    // On a laptop the comparison comes open, after the three lines; on a phone it is folded.
    assert.equal(await compare.evaluate(el => el.open), true, 'at 1280 px the comparison is open at first');
    const before = await w.debrief.locator('.att-summary-lines').evaluate((lines, el) => !!(lines.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING), await compare.elementHandle());
    assert.ok(before, 'the comparison follows the summary');
    const turns = w.debrief.locator('.att-compare-list > li');
    assert.equal(await turns.count(), d.comparison.length, 'one entry per turn');
    assert.ok(d.comparison.some(c => c.options.length), 'some turn had other trust-building options (precondition)');
    for (const [i, c] of d.comparison.entries()) {
        const entry = turns.nth(i);
        const text = squash(await entry.textContent());
        assert.ok(text.startsWith(`Turn ${c.turn}`), `entry ${i + 1} is turn ${c.turn}`);
        assert.ok(text.includes(`${squash(c.chosen.text)}`) && text.toLowerCase().includes(`${c.chosen.label}: trust ${signed(c.chosen.change)}`.toLowerCase()), `turn ${c.turn}: what you said, its skill and change; it reads ${JSON.stringify(text)}`);
        const options = await entry.locator('.att-compare-options > li').evaluateAll(lis => lis.map(li => li.textContent.replace(/\s+/g, ' ').trim()));
        assert.equal(options.length, c.options.length, `turn ${c.turn}: every other trust-building option`);
        for (const [k, o] of c.options.entries()) {
            assert.equal(o.kind, 'skill', 'the engine lists trust-building options only');
            assert.ok(options[k].includes(squash(o.text)), `turn ${c.turn}, option ${k + 1}: its text`);
            assert.ok(options[k].toLowerCase().includes(`${o.label}: would have moved trust ${signed(o.change)}`.toLowerCase()), `turn ${c.turn}, option ${k + 1}: its skill and change; it reads ${JSON.stringify(options[k])}`);
        }
        if (!c.options.length) assert.ok(text.includes('No other trust-building option was on offer then.'));
    }
    await opened.close();
});

for (const colorScheme of ['light', 'dark']) {
    test(`axe-core and 320 px: the new debrief parts, opened (${colorScheme})`, async () => {
        const p = practisePath();
        const { opened, page } = await playToDebrief(p, { colorScheme, viewport: { width: 320, height: 640 } });
        const w = ui(page);
        await visible(w.debrief.locator('.att-score'), 'the score');
        await w.debrief.locator('details').evaluateAll(all => all.forEach(el => { el.open = true; }));
        await expectNoAxeViolations(page, `at the debrief with every fold-out open (${colorScheme})`);
        await expectNoHorizontalScroll(page, `320 px, the debrief with every fold-out open (${colorScheme})`);
        const overflowing = await page.evaluate(() => {
            const limit = document.documentElement.clientWidth;
            return [...document.querySelectorAll('.att-debrief *')]
                .filter(el => el.getBoundingClientRect().right > limit + 0.5)
                .map(el => `${el.localName}.${el.className?.baseVal ?? el.className}`);
        });
        assert.deepEqual(overflowing, [], 'elements of the debrief reaching past the right edge at 320 px');
        await opened.close();
    });
}
