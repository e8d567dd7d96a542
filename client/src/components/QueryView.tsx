import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Alert } from './Alert.tsx';
import { errorText } from './ErrorText.ts';
import { PaneLoading } from './Loading.tsx';

/** A query's answer in a pane: "Loading…" until it comes, its error if it fails, else `children` with its data. */
export function QueryView<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  const { t } = useI18n();
  if (query.isPending) return <PaneLoading />;
  if (query.isError) return <Alert kind="error">{errorText(query.error, t)}</Alert>;
  return children(query.data);
}
