/** One partner's conversions per day, stacked by status today (recharts, loaded on demand). */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { reportStatuses } from './scrub-report.ts';
import type { ScrubReportRow } from './scrub-api.ts';

const colors: Record<(typeof reportStatuses)[number], string> = {
  approved: '#2e7d32',
  pending: '#8fb3d9',
  held: '#c98a00',
  rejected: '#b3261e',
  reversed: '#6d4c41',
};

export default function ScrubChart({ days }: { days: ScrubReportRow[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="date" tickFormatter={(date: string) => date.slice(5)} />
        <YAxis allowDecimals={false} width={40} />
        <Tooltip />
        <Legend />
        {reportStatuses.map((status) => (
          <Bar key={status} dataKey={status} name={status} stackId="status" fill={colors[status]} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
