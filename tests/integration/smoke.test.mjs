// smoke.test.mjs — the stack starts, answers through nginx and stops cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, stopChecked } from '../lib/stack.mjs';
import { Client } from '../lib/http.mjs';

test('portal behind nginx: health, sign-up, sign-out, clean SIGTERM', async () => {
  const stack = await startStack();
  try {
    const c = new Client(stack.base);
    const h = await c.get('/healthz');
    assert.equal(h.status, 200);
    assert.equal(h.text, 'ok\n');
    const res = await c.signup({ domain: 'smoke.example', email: 'ana@smoke.example' });
    assert.equal(res.location, '/?m=welcome');
    const home = await c.follow(res);
    assert.match(home.text, /Ana Admin/);
    const out = await c.signout();
    assert.equal(out.status, 303);
  } finally {
    await stopChecked(stack);
  }
});
