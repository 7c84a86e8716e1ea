// Migrations are SQL files imported as text (Vite's `?raw`), so the built command line carries them.
declare module '*.sql?raw' {
	const text: string;
	export default text;
}
