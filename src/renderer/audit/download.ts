import { useEffect, useRef, useState } from 'react';

/**
 * Offers text as a file download through a Blob URL (nothing touches the disk until the person saves it). The
 * previous URL is revoked when a new file is offered and when the screen closes. The download starts at once;
 * the returned `url` is also shown as a link in case the browser blocked the automatic start. (The Electron
 * shell currently cancels every download in hardening.ts; it has to let this page's own blob: downloads through
 * for the export to reach the disk there.)
 */
export function useDownload(): {
  url: string | null;
  offer(fileName: string, text: string, type: string): void;
} {
  const [url, setUrl] = useState<string | null>(null);
  const current = useRef<string | null>(null);

  useEffect(
    () => () => {
      if (current.current) URL.revokeObjectURL(current.current);
    },
    [],
  );

  const offer = (fileName: string, text: string, type: string) => {
    if (current.current) URL.revokeObjectURL(current.current);
    const next = URL.createObjectURL(new Blob([text], { type }));
    current.current = next;
    setUrl(next);
    const link = document.createElement('a');
    link.href = next;
    link.download = fileName;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  };

  return { url, offer };
}
