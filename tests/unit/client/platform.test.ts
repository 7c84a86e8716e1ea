import { describe, expect, it } from 'vitest';
import { isAppleMobile } from '../../../src/lib/client/platform';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';

describe('isAppleMobile', () => {
	it('recognises an iPhone by its user agent', () => {
		expect(isAppleMobile({ userAgent: IPHONE, platform: 'iPhone', maxTouchPoints: 5 })).toBe(true);
	});

	it('recognises an iPad that reports itself as a Mac by its touch screen', () => {
		expect(isAppleMobile({ userAgent: MAC, platform: 'MacIntel', maxTouchPoints: 5 })).toBe(true);
	});

	it('does not mistake a Mac for an iPad', () => {
		expect(isAppleMobile({ userAgent: MAC, platform: 'MacIntel', maxTouchPoints: 0 })).toBe(false);
	});

	it('does not mistake Android for iOS', () => {
		expect(isAppleMobile({ userAgent: ANDROID, platform: 'Linux armv8l', maxTouchPoints: 5 })).toBe(false);
	});
});
