import { useMemo } from 'react';
import { encode } from 'uqr';
import { qrSvgPath } from '../twoStep';

/** A QR code drawn as SVG: dark modules on a white square whatever the colour scheme, so phones can read it. */
export function QrCode({ value, label, size = 200 }: { value: string; label: string; size?: number }) {
  const { path, modules } = useMemo(() => {
    const qr = encode(value, { ecc: 'M', border: 4 });
    return { path: qrSvgPath(qr.data), modules: qr.data.length };
  }, [value]);
  return (
    <svg
      className="qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${modules} ${modules}`}
      shapeRendering="crispEdges"
    >
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
