/**
 * Debian packages whose images (photographs, wallpapers, documentation
 * figures) feed bench:embeddings, with their licences (each package's
 * debian/copyright) and how to tell one picture from another size of it.
 */
export interface ImagePackage {
  name: string;
  licence: string;
  /** Folder inside the package that holds its images. */
  imagesUnder: string;
  /** One key per picture (from the path under imagesUnder): files with the same key are sizes or variants of it, and only the largest is kept. */
  pictureKey(path: string): string;
  /** Whether its pictures may be queries (photographs and wallpapers), or are distractors only (figures). */
  mayBeQueries: boolean;
}

const stem = (path: string) => path.replace(/^.*\//, '').replace(/\.[a-z]+$/i, '');

export const imagePackages: readonly ImagePackage[] = [
  {
    name: 'plasma-workspace-wallpapers',
    licence: 'GPL-2+ / LGPL (KDE wallpapers)',
    imagesUnder: 'usr/share/wallpapers',
    // <Name>/contents/images{,_dark}/<W>x<H>.<ext> and <Name>/contents/screenshot.png: one picture per folder.
    pictureKey: (path) => path.split('/')[0]!,
    mayBeQueries: true,
  },
  {
    name: 'mate-backgrounds',
    licence: 'GPL-2+ / CC-BY-SA',
    imagesUnder: 'usr/share/backgrounds/mate',
    // Sizes (Elephants_3840x2160) and colourways (MATE-Stripes-Dark/-Light, Ubuntu-Mate-<Colour>-no-logo) of one design.
    pictureKey: (path) =>
      stem(path)
        .replace(/_\d+x\d+$/, '')
        .replace(/^MATE-/, '')
        .replace(/-(Dark|Light)$/, '')
        .replace(/^Ubuntu-Mate-\w+-no-logo$/, 'Ubuntu-Mate-no-logo'),
    mayBeQueries: true,
  },
  {
    name: 'ukui-wallpapers',
    licence: 'CC-BY-SA-3.0',
    imagesUnder: 'usr/share/backgrounds',
    pictureKey: stem,
    mayBeQueries: true,
  },
  {
    name: 'lomiri-wallpapers-16.04',
    licence: 'CC-BY-SA (per file, debian/copyright)',
    imagesUnder: 'usr/share/backgrounds',
    pictureKey: stem,
    mayBeQueries: true,
  },
  {
    name: 'lomiri-wallpapers-20.04',
    licence: 'CC-BY-SA (per file, debian/copyright)',
    imagesUnder: 'usr/share/backgrounds',
    pictureKey: stem,
    mayBeQueries: true,
  },
  {
    name: 'gnome-backgrounds',
    licence: 'CC-BY-SA-3.0',
    imagesUnder: 'usr/share/backgrounds/gnome',
    // <name>-l / <name>-d are the light and dark versions of one picture.
    pictureKey: (path) => stem(path).replace(/-[ld]$/, ''),
    mayBeQueries: true,
  },
  {
    name: 'python-skimage-doc',
    licence: 'BSD-3-Clause',
    imagesUnder: 'usr/share/doc/python-skimage-doc/html',
    // Gallery thumbnails are small copies of the example's first figure.
    pictureKey: (path) => stem(path).replace(/_thumb$/, '_001'),
    mayBeQueries: false,
  },
];
