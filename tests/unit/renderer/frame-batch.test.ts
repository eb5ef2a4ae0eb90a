/**
 * The progress batching the jobs and runs stores share: many events, one apply per frame; a
 * hidden window (where requestAnimationFrame never fires) falls back to a timer.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { frameBatch } from '../../../renderer/src/lib/frame-batch';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('frameBatch', () => {
  it('hands 1,000 events pushed in one tick to apply once, in order', () => {
    const batches: number[][] = [];
    const batch = frameBatch<number>((events) => batches.push(events));
    for (let i = 0; i < 1000; i++) batch.push(i);
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // the next event opens a new batch
    batch.push(1000);
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([batches[0], [1000]]);
  });

  it('clear drops what is queued, and an empty batch is not applied', () => {
    const apply = vi.fn();
    const batch = frameBatch<string>(apply);
    batch.push('stale');
    batch.clear();
    vi.advanceTimersByTime(100);
    expect(apply).not.toHaveBeenCalled();
    batch.push('fresh');
    vi.advanceTimersByTime(100);
    expect(apply).toHaveBeenCalledExactlyOnceWith(['fresh']);
  });

  it('waits for the next animation frame in a visible window, and for a timer in a hidden one', () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => frames.push(cb));
    const doc = { hidden: false };
    vi.stubGlobal('document', doc);
    const apply = vi.fn();
    const batch = frameBatch<number>(apply);

    batch.push(1);
    batch.push(2);
    expect(frames).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(apply).not.toHaveBeenCalled();
    frames[0]!(0);
    expect(apply).toHaveBeenCalledExactlyOnceWith([1, 2]);

    doc.hidden = true;
    batch.push(3);
    expect(frames).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(apply).toHaveBeenLastCalledWith([3]);
  });
});
