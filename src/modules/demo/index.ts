/** The demo module's public surface: what other modules may use of it. */
export { demoPassword, seedDemo, type DemoSeedResult, holdsDemoBook } from './seed-demo.ts';
export { billDemo } from './bill-demo.ts';
