/** Debian's Chromium, headless, driven by playwright-core: the one launch the report tests share (software GL, no sandbox, no background traffic). */
import { chromium, type Browser } from 'playwright-core';

/** Flags Chromium needs on this machine and in CI: SwiftShader for WebGL, no sandbox as root, no QUIC or background requests. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches headless Chromium from /usr/bin/chromium (scripts/apt-packages lists it). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
