// The browser clients the sample app serves are exactly the npm packages pinned here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const vendor = new URL('../../sample-app/src/main/resources/static/vendor/', import.meta.url);
const modules = new URL('../node_modules/', import.meta.url);
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url)));

for (const [file, pkg, inPackage] of [
	['pusher.min.js', 'pusher-js', 'dist/web/pusher.min.js'],
	['echo.iife.js', 'laravel-echo', 'dist/echo.iife.js'],
]) {
	test(`vendor/${file} is ${pkg} as pinned in package-lock.json`, () => {
		const pinned = lock.packages[`node_modules/${pkg}`].version;
		const installed = JSON.parse(readFileSync(new URL(`${pkg}/package.json`, modules))).version;
		assert.equal(installed, pinned, `run npm ci in e2e/: ${pkg} ${installed} installed, ${pinned} pinned`);
		const readme = readFileSync(new URL('README.md', vendor), 'utf8');
		assert.ok(readme.includes(`| \`${file}\` | \`${pkg}\` | ${pinned} |`), `vendor/README.md names ${pkg} ${pinned}`);
		const packaged = readFileSync(new URL(`${pkg}/${inPackage}`, modules));
		assert.ok(readFileSync(new URL(file, vendor)).equals(packaged), `vendor/${file} differs from ${pkg}/${inPackage}`);
	});
}
