/** RGBA8 with a full mipmap chain (a third more than the top level): what a decoded tile costs the GPU. */
export function decodedTextureBytes(widthPx: number, heightPx: number, mipmaps = true): number {
  const topLevel = widthPx * heightPx * 4;
  return mipmaps ? Math.ceil((topLevel * 4) / 3) : topLevel;
}
