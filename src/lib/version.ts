/**
 * The build's version (scripts/app-version.mjs), stamped into every event's metadata and shown in
 * the page footer. vite.config.ts defines it for the app, its workers and the unit tests; only code
 * built without that config (the command line, which writes no events) sees 'dev'.
 */
declare const __APP_VERSION__: string | undefined;
export const APP_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
