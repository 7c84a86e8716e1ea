/**
 * Which install help a browser needs. Chromium browsers offer an install prompt
 * (beforeinstallprompt); iOS and iPadOS never do, there a person adds the app from the Share menu.
 */

export interface PlatformFacts {
	userAgent: string;
	platform: string;
	maxTouchPoints: number;
}

/**
 * True on iPhone, iPod and iPad. iPadOS 13+ reports itself as a Mac ("MacIntel"); only the touch
 * screen tells it apart, since no Mac has one.
 */
export function isAppleMobile(facts: PlatformFacts): boolean {
	if (/iPad|iPhone|iPod/.test(facts.userAgent)) return true;
	return facts.platform === 'MacIntel' && facts.maxTouchPoints > 1;
}
