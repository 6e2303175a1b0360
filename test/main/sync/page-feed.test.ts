import { describe, expect, it } from 'vitest';
import { PageFeed } from '../../../src/main/core/sync/page-feed';
import type { PullResponse } from '../../../src/shared/sync/protocol';

/** A feed of `pages` pages of 10 changes; each request is answered when the test says so. */
function server(pages: number) {
  const asked: number[] = [];
  const answers: ((ok: boolean) => void)[] = [];
  const fetchPage = (after: number) =>
    new Promise<PullResponse>((resolve, reject) => {
      asked.push(after);
      answers.push((ok) => {
        if (!ok) return reject(new Error(`page after ${after} failed`));
        const changes = Array.from({ length: 10 }, (_, i) => ({
          seq: after + i + 1,
          entity: 'setting' as const,
          data: { key: 'idleLockSeconds', value: 60 },
        }));
        resolve({ changes, cursor: after + 10, hasMore: after + 10 < pages * 10, remaining: 0 });
      });
    });
  return { asked, answers, fetchPage };
}

const noPrepare = () => Promise.resolve(new Map());
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PageFeed', () => {
  it('fetches back to back from each cursor, at most `depth` pages ahead, in order', async () => {
    const s = server(5);
    const feed = new PageFeed(s.fetchPage, noPrepare, 0, 2);
    expect(s.asked).toEqual([0]);
    s.answers[0]!(true);
    await settle();
    // The next request went as soon as page 1 arrived, before anyone took it.
    expect(s.asked).toEqual([0, 10]);
    s.answers[1]!(true);
    await settle();
    // Two pages ahead and none taken: no third request.
    expect(s.asked).toEqual([0, 10]);
    const first = await feed.take();
    expect(first.ok && first.page.cursor).toBe(10);
    await settle();
    expect(s.asked).toEqual([0, 10, 20]);
    const second = await feed.take();
    expect(second.ok && second.page.cursor).toBe(20);
    s.answers[2]!(true);
    await settle();
    s.answers[3]!(true);
    await settle();
    // Pages 3 and 4 wait to be taken: page 5 is asked for only once one of them is.
    expect(s.asked).toEqual([0, 10, 20, 30]);
    const cursors: number[] = [];
    const take = async () => {
      const answer = await feed.take();
      if (answer.ok) cursors.push(answer.page.cursor);
    };
    await take();
    expect(s.asked).toEqual([0, 10, 20, 30, 40]);
    s.answers[4]!(true);
    await take();
    await take();
    expect(cursors).toEqual([30, 40, 50]);
    // The last page said no more: nothing else was asked.
    expect(s.asked).toEqual([0, 10, 20, 30, 40]);
  });

  it('ends with the error of a failed request and asks nothing after it', async () => {
    const s = server(5);
    const feed = new PageFeed(s.fetchPage, noPrepare, 0, 3);
    s.answers[0]!(true);
    await settle();
    s.answers[1]!(false);
    await settle();
    expect((await feed.take()).ok).toBe(true);
    const failed = await feed.take();
    expect(failed.ok).toBe(false);
    expect(!failed.ok && String(failed.error)).toContain('page after 10 failed');
    expect(s.asked).toEqual([0, 10]);
  });

  it('asks nothing more once stopped', async () => {
    const s = server(5);
    const feed = new PageFeed(s.fetchPage, noPrepare, 0, 2);
    feed.stop();
    s.answers[0]!(true);
    await settle();
    expect(s.asked).toEqual([0]);
  });

  it('hands each page over with what was prepared for it', async () => {
    const s = server(1);
    const feed = new PageFeed(
      s.fetchPage,
      (page) => Promise.resolve(new Map([[page.cursor, { line: 0, reason: 'marker' }]])),
      0,
      2,
    );
    s.answers[0]!(true);
    const answer = await feed.take();
    expect(answer.ok && answer.prepared.get(10)).toEqual({ line: 0, reason: 'marker' });
  });
});
