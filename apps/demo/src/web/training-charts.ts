import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { accuracyLabel } from './accuracy-metrics';
import { describeLossTrend, lossTrend } from './loss-trend';
import { CHART_COLORS } from './palette';
import type { ProgressPoint } from './protocol';

// Only the pieces a line chart needs (chart.js is tree-shakeable when registered explicitly).
Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Legend,
  Tooltip,
);

const ACCURACY_DASHES: readonly (readonly number[])[] = [[], [6, 4], [2, 3]];
const REFERENCE_DASHES: readonly (readonly number[])[] = [
  [4, 4],
  [8, 3, 2, 3],
];

/** What the charts draw. */
export interface ChartData {
  /** Every training step so far. */
  readonly points: readonly ProgressPoint[];
  /** The held-out loss per scored token at the steps it was measured. */
  readonly heldOut: readonly { readonly step: number; readonly loss: number }[];
  /** Dashed horizontal lines: $\ln V$, the unigram loss. */
  readonly references: readonly { readonly value: number; readonly label: string }[];
  /** The last step of the current stretch of training: the x axis ends there. */
  readonly untilStep: number | undefined;
}

/** The loss and accuracy charts, their captions, and the `data-*` attributes the e2e test reads. */
export interface TrainingCharts {
  /** Redraws both charts from every point so far (call at most once per animation frame). */
  update(data: ChartData): void;
}

function lineChart(
  canvas: HTMLCanvasElement,
  yTitle: string,
  yRange?: { min: number; max: number },
) {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' }, ticks: { precision: 0 } },
        y: { title: { display: true, text: yTitle }, ...(yRange ?? {}) },
      },
      plugins: { legend: { display: true, labels: { boxHeight: 2 } } },
      elements: { point: { radius: 0, hitRadius: 6 }, line: { borderWidth: 2 } },
    },
  });
}

/** Creates the two charts on the page's canvases. */
export function createTrainingCharts(elements: {
  readonly lossCanvas: HTMLCanvasElement;
  readonly lossFigure: HTMLElement;
  readonly lossCaption: HTMLElement;
  readonly accuracyCanvas: HTMLCanvasElement;
  readonly accuracyFigure: HTMLElement;
  readonly accuracyCaption: HTMLElement;
}): TrainingCharts {
  const loss = lineChart(elements.lossCanvas, 'loss (nats per token)');
  const accuracy = lineChart(elements.accuracyCanvas, 'accuracy', { min: 0, max: 1 });
  /** Ends both x axes at the run's last step (Chart.js would round 150 up to 160). */
  const setRange = (first: number, last: number) => {
    for (const chart of [loss, accuracy]) {
      const x = chart.options.scales?.['x'];
      if (x) {
        x.min = first;
        x.max = last;
      }
    }
  };
  return {
    update({ points, heldOut, references, untilStep }) {
      const first = heldOut[0]?.step ?? points[0]?.step ?? 0;
      const last = Math.max(untilStep ?? 0, points[points.length - 1]?.step ?? 0, first + 1);
      setRange(first, last);
      loss.data.datasets = [
        {
          label: 'training loss',
          data: points.map((point) => ({ x: point.step, y: point.loss })),
          borderColor: CHART_COLORS.loss,
          backgroundColor: CHART_COLORS.loss,
        },
        {
          label: 'held-out loss',
          data: heldOut.map((point) => ({ x: point.step, y: point.loss })),
          borderColor: CHART_COLORS.heldOut,
          backgroundColor: CHART_COLORS.heldOut,
          showLine: false,
          pointRadius: 4,
          pointStyle: 'rectRot',
        },
        ...references.map((reference, index) => ({
          label: reference.label,
          data: [
            { x: first, y: reference.value },
            { x: last, y: reference.value },
          ],
          borderColor: CHART_COLORS.reference,
          backgroundColor: CHART_COLORS.reference,
          borderDash: [...(REFERENCE_DASHES[index % REFERENCE_DASHES.length] ?? [])],
          borderWidth: 1,
        })),
      ];
      loss.update('none');
      const trend = lossTrend(points);
      elements.lossFigure.dataset['points'] = String(points.length);
      elements.lossFigure.dataset['xMax'] = String(last);
      elements.lossFigure.dataset['heldOutPoints'] = String(heldOut.length);
      elements.lossFigure.dataset['trend'] =
        trend === undefined ? 'none' : trend.fell ? 'fell' : 'flat-or-rising';
      elements.lossFigure.dataset['firstLoss'] = String(points[0]?.loss ?? '');
      elements.lossFigure.dataset['lastLoss'] = String(points[points.length - 1]?.loss ?? '');
      elements.lossCaption.textContent = describeLossTrend(points);
      elements.lossCanvas.setAttribute('aria-label', `Loss per step. ${describeLossTrend(points)}`);

      const names = [...new Set(points.flatMap((point) => Object.keys(point.accuracies)))];
      accuracy.data.datasets = names.map((name, index) => ({
        label: accuracyLabel(name),
        data: points.flatMap((point) => {
          const value = point.accuracies[name];
          return value === undefined ? [] : [{ x: point.step, y: value }];
        }),
        borderColor: CHART_COLORS.accuracy[index % CHART_COLORS.accuracy.length],
        backgroundColor: CHART_COLORS.accuracy[index % CHART_COLORS.accuracy.length],
        borderDash: [...(ACCURACY_DASHES[index % ACCURACY_DASHES.length] ?? [])],
      }));
      accuracy.update('none');
      const accuracyPoints = points.filter(
        (point) => Object.keys(point.accuracies).length > 0,
      ).length;
      elements.accuracyFigure.dataset['points'] = String(accuracyPoints);
      // Objectives without an accuracy metric (the conditional LM) get the full width for the loss.
      elements.accuracyFigure.hidden = names.length === 0;
      const latest = points[points.length - 1]?.accuracies ?? {};
      elements.accuracyCaption.textContent =
        names.length === 0
          ? 'No accuracy reported yet.'
          : `Latest: ${names
              .map((name) => `${accuracyLabel(name)} ${((latest[name] ?? 0) * 100).toFixed(1)} %`)
              .join(', ')}.`;
      elements.accuracyCanvas.setAttribute(
        'aria-label',
        `Accuracy per step. ${elements.accuracyCaption.textContent}`,
      );
    },
  };
}
