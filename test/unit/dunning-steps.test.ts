/** The dunning rule (SPEC §10): which step an overdue invoice gets, and which are skipped. */
import { describe, expect, it } from 'vitest';
import { decideDunningStep } from '../../src/modules/billing/dunning/dunning.ts';

const schedule = [1, 15, 30];

describe('decideDunningStep', () => {
  it('sends nothing before the first step', () => {
    expect(decideDunningStep(schedule, 0, new Set())).toEqual({ send: null, skip: [] });
    expect(decideDunningStep(schedule, -10, new Set())).toEqual({ send: null, skip: [] });
  });

  it('sends each step on the day it is reached, once', () => {
    expect(decideDunningStep(schedule, 1, new Set())).toEqual({ send: 1, skip: [] });
    expect(decideDunningStep(schedule, 14, new Set([1]))).toEqual({ send: null, skip: [] });
    expect(decideDunningStep(schedule, 15, new Set([1]))).toEqual({ send: 15, skip: [] });
    expect(decideDunningStep(schedule, 400, new Set([1, 15, 30]))).toEqual({ send: null, skip: [] });
  });

  it('sends only the latest of several steps due at once and skips the earlier ones', () => {
    expect(decideDunningStep(schedule, 31, new Set())).toEqual({ send: 30, skip: [1, 15] });
    expect(decideDunningStep(schedule, 20, new Set())).toEqual({ send: 15, skip: [1] });
    expect(decideDunningStep(schedule, 45, new Set([1]))).toEqual({ send: 30, skip: [15] });
  });

  it('never sends a milder step after a sterner one (a schedule changed since): it is skipped', () => {
    expect(decideDunningStep([1, 7, 15, 30], 20, new Set([1, 15]))).toEqual({ send: null, skip: [7] });
    expect(decideDunningStep([1, 7, 15, 30], 30, new Set([1, 15]))).toEqual({ send: 30, skip: [7] });
  });
});
