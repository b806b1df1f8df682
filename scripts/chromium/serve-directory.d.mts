/** A running static server: its origin (`http://127.0.0.1:PORT`) and how to stop it. */
export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}
/** Serves `root` on 127.0.0.1, with COOP/COEP unless `crossOriginIsolated` is `false`. */
export declare function serveDirectory(
  root: string,
  options?: { crossOriginIsolated?: boolean },
): Promise<StaticServer>;
