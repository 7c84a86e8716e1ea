// Config for bench/storage-bytes.measure.ts: the unit tests' setup, with that one file instead of the tests.
import base from '../vite.config.ts';

export default { ...base, test: { ...base.test, include: ['bench/storage-bytes.measure.ts'], testTimeout: 1_200_000 } };
