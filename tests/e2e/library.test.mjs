// The library page (index.html) and the debrief's end actions: the
// transcript download (Markdown with the learner's choices) and Restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
    useEnv, openPage, ui, enginePlay, start, playTurns, visible, eventually, expectTrust,
    expectNoAxeViolations, expectTitle, tryAgain, WWW,
} from './helpers.mjs';

const env = useEnv();

const library = JSON.parse(readFileSync(path.join(WWW, 'scenarios', 'index.json'), 'utf8'));
const firstMeeting = library.scenarios.find(s => s.id === 'first-meeting');
const worst = enginePlay({ auto: 'worst', seed: 1 });

/// The library entry of a scenario: the innermost element holding both its
/// title and its summary.
function entryOf(page, scenario) {
    return page
        .locator('li, article, section, div')
        .filter({ hasText: scenario.title })
        .filter({ hasText: scenario.summary })
        .last();
}

test('the library lists first-meeting with title, summary, minutes and content notes, and opens it', async () => {
    assert.ok(firstMeeting, 'www/scenarios/index.json lists first-meeting');
    const p = await openPage(env, '/index.html');
    const { page } = p;
    const entry = entryOf(page, firstMeeting);
    await visible(entry, 'the library entry of first-meeting');
    const text = (await entry.textContent()).replace(/\s+/g, ' ');
    assert.ok(text.includes(firstMeeting.title), 'the entry shows the title');
    assert.ok(text.includes(firstMeeting.summary), 'the entry shows the summary');
    assert.match(text, new RegExp(`\\b${firstMeeting.minutes}\\b\\s*min`), `the entry shows the minutes (${firstMeeting.minutes} min)`);
    for (const note of firstMeeting.content_notes) {
        assert.ok(text.includes(note), `the entry shows the content note ${JSON.stringify(note)}`);
    }
    await expectNoAxeViolations(page, 'on the library page (light)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectNoAxeViolations(page, 'on the library page (dark)');

    const open = entry.getByRole('link').or(entry.getByRole('button')).first();
    await visible(open, 'a link or button to open first-meeting');
    await open.click();
    const w = ui(page);
    await visible(w.title, 'the opened scenario');
    await expectTitle(page, firstMeeting.title);
    // The content note comes before the scenario, with a way to skip.
    for (const note of firstMeeting.content_notes) {
        await visible(w.widget.getByText(note), `the content note ${JSON.stringify(note)} before the scenario`);
    }
    await visible(w.skipButton, 'the "Skip this scenario" button');
    await start(page);
    await playTurns(page, worst.turns.slice(0, 1));
    await p.close();
});

test('"Skip this scenario" returns to the library (index.html) or dispatches attunement-skip (embed.html)', async () => {
    const lib = await openPage(env, '/index.html?scenario=first-meeting&mode=practice');
    await visible(ui(lib.page).skipButton, 'the "Skip this scenario" button');
    await ui(lib.page).skipButton.click();
    await visible(entryOf(lib.page, firstMeeting), 'the library, after skipping');
    await lib.close();

    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice');
    const { page } = p;
    const w = ui(page);
    await visible(w.skipButton, 'the "Skip this scenario" button');
    await w.widget.evaluate(el => {
        el.addEventListener('attunement-skip', () => el.setAttribute('data-test-skipped', ''));
    });
    await w.skipButton.click();
    await eventually(async () => assert.equal(await w.widget.getAttribute('data-test-skipped'), '', 'an attunement-skip event reached the element'));
    assert.equal(await w.choiceButtons.count(), 0, 'skipping does not start the scenario');
    await p.close();
});

test('the debrief downloads a Markdown transcript with the learner\'s choices, and Restart starts afresh', async () => {
    const p = await openPage(env, '/embed.html?scenario=first-meeting&mode=practice');
    const { page } = p;
    const w = ui(page);
    await start(page);
    await playTurns(page, worst.turns);
    await visible(w.debrief, 'the Debrief region');

    const [download] = await Promise.all([page.waitForEvent('download'), w.download.click()]);
    assert.equal(download.suggestedFilename(), 'first-meeting-transcript.md');
    const markdown = readFileSync(await download.path(), 'utf8');
    assert.match(markdown, /^#/m, 'the transcript is Markdown (it has a heading)');
    for (const turn of worst.turns) {
        assert.ok(markdown.includes(turn.text), `the transcript holds the choice ${JSON.stringify(turn.text)}`);
    }
    assert.ok(markdown.includes(worst.ending.title), `the transcript names the ending "${worst.ending.title}"`);

    // The debrief's parts, as the contract lists them.
    const overTime = w.debrief.locator('details', { hasText: 'Trust over time' });
    assert.equal(await overTime.evaluate(el => el.open), false, 'the trust over time is behind a disclosure');
    await overTime.locator('summary').click();
    await w.debrief.locator('details', { hasText: 'Skills, neutral responses and roadblocks you used' }).locator('summary').click();
    await visible(w.debrief.getByRole('img'), 'the trust-over-time chart (role=img)');
    assert.ok(await w.debrief.getByRole('img').first().getAttribute('aria-label'), 'the chart has an aria-label');
    assert.ok((await w.debrief.getByRole('table').count()) >= 2, 'the debrief has the trust table and the skill table');
    // The chart's data table: some column of some table is the trust over time.
    const tables = await w.debrief.getByRole('table').evaluateAll(tables =>
        tables.map(table => [...table.rows].map(row => [...row.cells].map(cell => cell.textContent.trim()))),
    );
    const wanted = worst.debrief.trust_over_time.map(String);
    const holdsTrust = rows => {
        const body = rows.slice(1);
        return body.length === wanted.length && body[0].some((_, col) => body.every((row, i) => row[col] === wanted[i]));
    };
    assert.ok(tables.some(holdsTrust), `a debrief table holds the trust over time, one row per value (${wanted.join(', ')})`);

    await tryAgain(page);
    await expectTrust(page, worst.turns[0].trust_before, 'after Restart');
    assert.equal(await w.learnerMessages.count(), 0, 'Restart starts with an empty transcript');
    assert.equal(await w.debrief.count(), 0, 'Restart leaves the debrief');
    await page.reload();
    await start(page);
    assert.equal(await w.learnerMessages.count(), 0, 'after Restart, a reload does not bring the old session back');
    await p.close();
});
