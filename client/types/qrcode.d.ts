/**
 * The part of `qrcode` (browser build) the broadcaster page uses. Declared here because `@types/qrcode` pulls in
 * Node's types, which the pages must not see.
 */
declare module 'qrcode' {
  interface ToCanvasOptions {
    margin?: number;
    /** Width of the canvas, px. */
    width?: number;
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  }
  const QRCode: {
    /** Draw `text` as a QR code (ISO/IEC 18004) on `canvas`. */
    toCanvas(canvas: HTMLCanvasElement, text: string, options?: ToCanvasOptions): Promise<void>;
  };
  export default QRCode;
}
