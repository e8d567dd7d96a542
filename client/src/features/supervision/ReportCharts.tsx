import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import type { Report } from '@chattigo/contracts/reports';
import { useEffect, useMemo, useRef } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';

// Only the pieces used here (chart.js is tree-shaken; this module is a chunk of its own).
Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip);

const BRAND = '#1769aa';

/** A canvas chart that is rebuilt when its configuration changes and destroyed on unmount. */
function CanvasChart({ config, label }: { config: ChartConfiguration; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="report-chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

/**
 * The report's charts: closed chats by typification (bars) and over time (a line, per day or
 * per week). Loaded only in the supervisor section (`lazy` in SupervisionPage).
 */
export default function ReportCharts({ byTypification, overTime }: { byTypification: Report; overTime: Report }) {
  const { t } = useI18n();
  const barTitle = t('reportChartByTypification');
  const lineTitle = t('reportChartOverTime', { period: overTime.by === 'week' ? t('reportChartWeek') : t('reportChartDay') });
  const bar = useMemo((): ChartConfiguration => ({
    type: 'bar',
    data: {
      labels: byTypification.rows.map((r) => r.key),
      datasets: [{ label: t('reportColClosed'), data: byTypification.rows.map((r) => r.closed), backgroundColor: BRAND }],
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }), [byTypification, t]);
  const line = useMemo((): ChartConfiguration => ({
    type: 'line',
    data: {
      labels: overTime.rows.map((r) => r.key),
      datasets: [{ label: t('reportColClosed'), data: overTime.rows.map((r) => r.closed), borderColor: BRAND, backgroundColor: BRAND, tension: 0 }],
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  }), [overTime, t]);
  return (
    <div className="report-charts">
      <figure>
        <figcaption>{barTitle}</figcaption>
        <CanvasChart config={bar} label={barTitle} />
      </figure>
      <figure>
        <figcaption>{lineTitle}</figcaption>
        <CanvasChart config={line} label={lineTitle} />
      </figure>
    </div>
  );
}
