/** Registers the benchmarks built in as plugins (see vite.config.ts); no exports. */
declare module 'virtual:localds-benchmark-plugins' {}
