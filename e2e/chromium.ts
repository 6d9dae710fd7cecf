/** How this project launches Chromium: Debian's build (CI installs it), headless as root. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that work headless as root on a machine with no network but the package registries. */
export const chromiumBaseArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** WebGPU through SwiftShader: works headless on http://localhost (a secure context). */
export const chromiumWebGpuArgs = [
  ...chromiumBaseArgs,
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-vulkan-surface',
];
