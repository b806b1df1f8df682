// The benchmark page's entry (see `src/web/bench/bench-page.ts`).
import '../src/web/bench/bench-page';
