/**
 * The benchmark's id and version, apart from benchmark.ts so that the oracle can stamp them without an
 * import cycle. Bump the version whenever the task text, the definitions or generated data change
 * (test/version.test.ts pins a fingerprint of those to it).
 */
export const AB_TEST_ID = 'ab-test-analysis';
export const AB_TEST_VERSION = '1.0.0';
