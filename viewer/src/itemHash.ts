/** The deep link `#item=<itemId>`: opens that item on load and on hash change. */
export const itemHash = {
  parse(hash: string): string | undefined {
    const itemId = new URLSearchParams(hash.replace(/^#/, '')).get('item');
    return itemId ? itemId : undefined;
  },
  format(itemId: string): string {
    return `#item=${encodeURIComponent(itemId)}`;
  },
} as const;
