/**
 * Search by image on a desktop: a picture file dragged onto the page is
 * handed to `onImage` (the page shows a hint while it is dragged over).
 * Anything dropped that is not an image file is ignored.
 */
export function listenForDroppedImages(onImage: (image: File) => void): void {
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer!.dropEffect = 'copy';
    document.body.dataset.dropping = 'true';
  });
  window.addEventListener('dragleave', () => delete document.body.dataset.dropping);
  window.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    delete document.body.dataset.dropping;
    const image = [...(event.dataTransfer?.files ?? [])].find((file) => file.type.startsWith('image/'));
    if (image) onImage(image);
  });
}
