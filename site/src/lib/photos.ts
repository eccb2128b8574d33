/**
 * Photos come from listing sources and often fail (moved, hotlink-protected, gone). A failed image
 * is swapped for the page's placeholder instead of the browser's broken-image icon: its frame gets
 * `no-photo` (CSS hides the <img> and shows the drawing beside it) and the image its failure in
 * `data-failed` (tests read it). One listener in the capture phase, because `error` does not bubble.
 */
export const HOUSE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" class="photo-placeholder"><path fill="currentColor" d="M12 3 2 11h3v9h5v-6h4v6h5v-9h3z"/></svg>';

export function replaceBrokenPhotos(root: HTMLElement, frameSelector: string, onBroken?: (img: HTMLImageElement) => void) {
  root.addEventListener(
    "error",
    (e) => {
      const img = e.target;
      if (!(img instanceof HTMLImageElement)) return;
      img.dataset.failed = "true";
      img.closest(frameSelector)?.classList.add("no-photo");
      onBroken?.(img);
    },
    true,
  );
}
